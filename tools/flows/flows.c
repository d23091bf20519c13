// SPDX-License-Identifier: GPL-2.0
/*
 * unat-flows: open many flows at once and keep them open until killed,
 * for unat's teardown tests.
 *
 *   unat-flows SPEC...
 *
 *   tcp ADDR PORT N      N TCP connections, held open idle
 *   syn ADDR PORT N      N TCP connects that are not expected to complete
 *   stream ADDR PORT N   N TCP connections that send and receive all along
 *   udp ADDR PORT N      N UDP sockets, one datagram each
 *   dns ADDR N           N UDP sockets, a DNS query each, asked again
 *                        every 3 s (a flow waiting for its answer lives)
 *   icmp ADDR N          N ICMP echo sockets (SOCK_DGRAM), an echo each,
 *                        sent again every 10 s
 *   listen PORT          accept every connection and hold it
 *   slisten PORT         accept every connection and stream on it
 *   usink PORT           a UDP socket reading and dropping everything
 *
 * Everything is non-blocking, in one epoll loop.  Lines on stdout say how
 * long opening them all took, when every tcp and stream connect has
 * finished, and every few seconds what is open.  SIGTERM or SIGINT ends
 * it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum role {
	R_TCP,		/* connecting or connected, idle */
	R_SYN,		/* connecting, never expected to finish */
	R_STREAM,	/* connecting or connected, streaming */
	R_UDP,
	R_DNS,
	R_ICMP,
	R_LISTEN,
	R_SLISTEN,
	R_USINK,
};

struct ent {
	int fd;
	enum role role;
	int connected;
	struct sockaddr_in to;
};

static struct ent *ents;
static size_t n_ents, cap_ents;
static int epfd;
static volatile sig_atomic_t stop;
static unsigned long n_connected, n_failed, n_pending, n_accepted;
static unsigned long n_sent, n_recv_bytes, n_sent_bytes;
static char buf[65536];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static struct ent *add_ent(int fd, enum role role, const struct sockaddr_in *to)
{
	struct epoll_event ev;
	struct ent *e;

	if (n_ents == cap_ents) {
		cap_ents = cap_ents ? cap_ents * 2 : 1024;
		ents = realloc(ents, cap_ents * sizeof(*ents));
		if (!ents)
			die("realloc");
	}
	e = &ents[n_ents];
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->role = role;
	if (to)
		e->to = *to;
	memset(&ev, 0, sizeof(ev));
	ev.data.u64 = n_ents;
	ev.events = EPOLLIN;
	if (role == R_TCP || role == R_SYN || role == R_STREAM)
		ev.events |= EPOLLOUT;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll_ctl");
	n_ents++;
	return e;
}

static int sock(int type, int proto)
{
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);

	if (fd < 0)
		die("socket");
	return fd;
}

static struct sockaddr_in addr_of(const char *ip, const char *port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1) {
		fprintf(stderr, "unat-flows: bad address %s\n", ip);
		exit(2);
	}
	return sa;
}

static void open_tcp(enum role role, const struct sockaddr_in *to, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		int fd = sock(SOCK_STREAM, 0);

		if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) < 0 &&
		    errno != EINPROGRESS)
			die("connect");
		add_ent(fd, role, to);
		if (role != R_SYN)
			n_pending++;
	}
}

static size_t dns_query(unsigned char *q, unsigned int id)
{
	static const unsigned char tail[] = {
		1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1
	};

	memset(q, 0, 12);
	q[0] = (unsigned char)(id >> 8);
	q[1] = (unsigned char)(id & 0xff);
	q[2] = 0x01;		/* RD */
	q[5] = 1;		/* QDCOUNT */
	memcpy(q + 12, tail, sizeof(tail));
	return 12 + sizeof(tail);
}

static void send_dgram(struct ent *e, unsigned int seq)
{
	unsigned char pkt[64];
	size_t len;

	if (e->role == R_DNS) {
		len = dns_query(pkt, seq & 0xffff);
	} else if (e->role == R_ICMP) {
		struct icmphdr h;

		memset(&h, 0, sizeof(h));
		h.type = ICMP_ECHO;
		h.un.echo.sequence = htons((uint16_t)seq);
		memcpy(pkt, &h, sizeof(h));
		memcpy(pkt + sizeof(h), "unat-flows", 10);
		len = sizeof(h) + 10;
	} else {
		memcpy(pkt, "unat-flows", 10);
		len = 10;
	}
	if (sendto(e->fd, pkt, len, 0, (const struct sockaddr *)&e->to,
		   sizeof(e->to)) == (ssize_t)len)
		n_sent++;
}

static void open_dgram(enum role role, const struct sockaddr_in *to, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		int fd = role == R_ICMP ? sock(SOCK_DGRAM, IPPROTO_ICMP) :
					  sock(SOCK_DGRAM, 0);

		send_dgram(add_ent(fd, role, to), 0);
	}
}

static void open_listen(enum role role, const char *port)
{
	struct sockaddr_in sa = addr_of("0.0.0.0", port);
	int one = 1;
	int fd = sock(role == R_USINK ? SOCK_DGRAM : SOCK_STREAM, 0);

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	if (role != R_USINK && listen(fd, 4096) < 0)
		die("listen");
	add_ent(fd, role, NULL);
}

static void set_events(size_t i, uint32_t events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.data.u64 = i;
	ev.events = events;
	epoll_ctl(epfd, EPOLL_CTL_MOD, ents[i].fd, &ev);
}

static void drop(size_t i)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, ents[i].fd, NULL);
	close(ents[i].fd);
	ents[i].fd = -1;
}

static void on_event(size_t i, uint32_t events)
{
	struct ent *e = &ents[i];
	ssize_t r;

	if (e->fd < 0)
		return;
	switch (e->role) {
	case R_LISTEN:
	case R_SLISTEN:
		for (;;) {
			int fd = accept4(e->fd, NULL, NULL,
					 SOCK_NONBLOCK | SOCK_CLOEXEC);
			struct ent *c;

			if (fd < 0)
				return;
			c = add_ent(fd, e->role == R_SLISTEN ? R_STREAM : R_TCP,
				    NULL);
			c->connected = 1;
			n_accepted++;
			/* add_ent may have moved the array */
			e = &ents[i];
			set_events(n_ents - 1, EPOLLIN);
		}
	case R_TCP:
	case R_SYN:
	case R_STREAM:
		if (!e->connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
			int err = 0;
			socklen_t len = sizeof(err);

			getsockopt(e->fd, SOL_SOCKET, SO_ERROR, &err, &len);
			if (e->role != R_SYN)
				n_pending--;
			if (err) {
				n_failed++;
				drop(i);
				return;
			}
			e->connected = 1;
			n_connected++;
			set_events(i, EPOLLIN);
		}
		if (events & EPOLLIN) {
			r = read(e->fd, buf, sizeof(buf));
			if (r > 0)
				n_recv_bytes += (unsigned long)r;
			else if (r == 0 || (errno != EAGAIN && errno != EINTR))
				drop(i);
		}
		return;
	default:
		/* answers, if any, are read and dropped */
		while (recv(e->fd, buf, sizeof(buf), 0) > 0)
			;
		return;
	}
}

/* Every 20 ms each stream gets up to 32 KiB more: load, not a flood. */
static void tick(unsigned int seq, int resend_dns, int resend_icmp)
{
	size_t i;

	for (i = 0; i < n_ents; i++) {
		struct ent *e = &ents[i];
		ssize_t r;

		if (e->fd < 0)
			continue;
		if (e->role == R_STREAM && e->connected) {
			r = send(e->fd, buf, 32768, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (r > 0)
				n_sent_bytes += (unsigned long)r;
		} else if ((e->role == R_DNS && resend_dns) ||
			   (e->role == R_ICMP && resend_icmp)) {
			send_dgram(e, seq);
		}
	}
}

static long count(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*end || n < 0) {
		fprintf(stderr, "unat-flows: bad count %s\n", s);
		exit(2);
	}
	return n;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: unat-flows SPEC...\n"
		"  tcp|syn|stream ADDR PORT N, udp ADDR PORT N, dns ADDR N,\n"
		"  icmp ADDR N, listen PORT, slisten PORT, usink PORT\n");
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *what)
{
	printf("unat-flows: %s: %lu connected, %lu pending, %lu failed, ",
	       what, n_connected, n_pending, n_failed);
	printf("%lu accepted, %lu datagrams, %lu bytes out, %lu in\n",
	       n_accepted, n_sent, n_sent_bytes, n_recv_bytes);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct epoll_event evs[256];
	struct rlimit rl = { 1 << 20, 1 << 20 };
	double last_tick, last_dns, last_icmp, last_report, t, t0;
	unsigned int seq = 1;
	int i, had_pending = 0, said_ready = 0;

	if (argc < 2)
		usage();
	/* a file per flow: as many as the kernel allows */
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	memset(buf, 'u', sizeof(buf));
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		die("epoll_create1");

	t0 = now();
	for (i = 1; i < argc;) {
		const char *k = argv[i];
		struct sockaddr_in to;

		if (!strcmp(k, "tcp") || !strcmp(k, "syn") ||
		    !strcmp(k, "stream") || !strcmp(k, "udp")) {
			if (i + 3 >= argc)
				usage();
			to = addr_of(argv[i + 1], argv[i + 2]);
			if (k[0] == 'u')
				open_dgram(R_UDP, &to, count(argv[i + 3]));
			else
				open_tcp(k[0] == 't' ? R_TCP :
					 k[1] == 'y' ? R_SYN : R_STREAM,
					 &to, count(argv[i + 3]));
			i += 4;
		} else if (!strcmp(k, "dns") || !strcmp(k, "icmp")) {
			if (i + 2 >= argc)
				usage();
			to = addr_of(argv[i + 1], k[0] == 'd' ? "53" : "0");
			open_dgram(k[0] == 'd' ? R_DNS : R_ICMP, &to,
				   count(argv[i + 2]));
			i += 3;
		} else if (!strcmp(k, "listen") || !strcmp(k, "slisten") ||
			   !strcmp(k, "usink")) {
			if (i + 1 >= argc)
				usage();
			open_listen(k[0] == 'l' ? R_LISTEN :
				    k[0] == 's' ? R_SLISTEN : R_USINK,
				    argv[i + 1]);
			i += 2;
		} else {
			usage();
		}
	}
	had_pending = n_pending > 0;
	printf("unat-flows: opened in %.1f s\n", now() - t0);
	report("started");

	last_tick = now();
	last_dns = last_tick;
	last_icmp = last_tick;
	last_report = last_tick;
	while (!stop) {
		int n = epoll_wait(epfd, evs, 256, 20);

		for (i = 0; i < n; i++)
			on_event((size_t)evs[i].data.u64, evs[i].events);
		t = now();
		if (t - last_tick >= 0.02) {
			int dns = t - last_dns >= 3, icmp = t - last_icmp >= 10;

			tick(seq++, dns, icmp);
			last_tick = t;
			if (dns)
				last_dns = t;
			if (icmp)
				last_icmp = t;
		}
		if (had_pending && !said_ready && n_pending == 0) {
			report("ready");
			said_ready = 1;
		}
		if (t - last_report >= 5) {
			report("open");
			last_report = t;
		}
	}
	report("stopped");
	return 0;
}

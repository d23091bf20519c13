// SPDX-License-Identifier: GPL-2.0
/*
 * unat-bench: the request/response half of tools/bench, in C so that the
 * client and the server cost a few instructions per transaction and the
 * path under test, not Python, sets the pace.
 *
 *   unat-bench serve PORT [THREADS]
 *	echo server on [::]:PORT (IPv4 too), THREADS epoll loops (default:
 *	one per CPU), each with its own SO_REUSEPORT listener
 *   unat-bench rr ADDR PORT SECS [PAR]
 *	PAR connections (default 1), each sending 1 byte and waiting for
 *	it to come back, for SECS seconds
 *   unat-bench crr ADDR PORT SECS [PAR]
 *	PAR workers, each connecting, exchanging 1 byte each way and
 *	closing, again and again, for SECS seconds
 *
 * rr and crr print one line:
 *	rr|crr PAR n N rate R p50_us P p99_us Q errors E usr_s U sys_s S
 * N transactions (crr: connections), R per second over all workers, the
 * median and 99th percentile of one transaction's time, E failed
 * connects or exchanges (crr goes on after one; rr stops that worker),
 * and the CPU seconds the client used in user mode (U: its own work) and
 * in the kernel (S: the syscalls, with whatever of the path under test
 * runs in their context).  U near SECS would make the client the limit.
 * Exit status: 0 if every rr connection was made and answered once (so
 * `rr ADDR PORT 0` tests reachability), or if crr completed at least one.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
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

#define MAX_PAR		256
#define MAX_EVENTS	64

struct worker {
	pthread_t thread;
	const struct sockaddr_storage *to;
	socklen_t to_len;
	double secs;
	uint32_t *lat_ns;	/* each transaction's time, capped */
	size_t n, cap;
	unsigned long errors;
	int up;			/* rr: connected, first exchange done */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int record(struct worker *w, double t)
{
	uint32_t *grown;
	double ns = t * 1e9;

	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 4096;
		grown = realloc(w->lat_ns, w->cap * sizeof(*grown));
		if (!grown)
			return -1;
		w->lat_ns = grown;
	}
	w->lat_ns[w->n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
	return 0;
}

/* One byte there and back on @fd; 0 on success. */
static int exchange(int fd)
{
	char c = 'x';

	if (send(fd, &c, 1, 0) != 1)
		return -1;
	return recv(fd, &c, 1, MSG_WAITALL) == 1 ? 0 : -1;
}

static int open_conn(const struct worker *w)
{
	int one = 1;
	int fd;

	fd = socket(w->to->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)w->to, w->to_len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *rr_worker(void *arg)
{
	struct worker *w = arg;
	double end, t0, t1;
	int fd;

	fd = open_conn(w);
	if (fd < 0 || exchange(fd)) {	/* the first one warms up */
		w->errors++;
		goto out;
	}
	w->up = 1;
	end = now_s() + w->secs;
	for (t0 = now_s(); t0 < end; t0 = t1) {
		if (exchange(fd)) {
			w->errors++;
			break;
		}
		t1 = now_s();
		if (record(w, t1 - t0))
			break;
	}
out:
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *crr_worker(void *arg)
{
	struct worker *w = arg;
	double end, t0, t1;
	int fd, ok;

	end = now_s() + w->secs;
	for (t0 = now_s(); t0 < end; t0 = t1) {
		fd = open_conn(w);
		ok = fd >= 0 && !exchange(fd);
		if (fd >= 0)
			close(fd);
		t1 = now_s();
		if (!ok) {
			w->errors++;
			/* a refused or failed connect must not spin */
			if (w->errors > 1000 && w->errors > 10 * w->n)
				break;
			continue;
		}
		if (record(w, t1 - t0))
			break;
	}
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int resolve(const char *addr, const char *port,
		   struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
	};
	struct addrinfo *ai;

	if (getaddrinfo(addr, port, &hints, &ai))
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* The CPU seconds this process has used, in user mode and in the kernel. */
static void cpu_s(double *usr, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*usr = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	*sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int client(int argc, char **argv, int connect_each)
{
	static struct worker w[MAX_PAR];
	struct sockaddr_storage to;
	unsigned long errors = 0;
	size_t n = 0, i, k;
	int all_up = 1;
	double t0, t, u0, s0, u1, s1;
	socklen_t to_len;
	uint32_t *all;
	int par = 1, p;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: %s %s ADDR PORT SECS [PAR]\n",
			argv[0], argv[1]);
		return 2;
	}
	if (argc == 6)
		par = atoi(argv[5]);
	if (par < 1 || par > MAX_PAR) {
		fprintf(stderr, "PAR must be 1..%d\n", MAX_PAR);
		return 2;
	}
	if (resolve(argv[2], argv[3], &to, &to_len)) {
		fprintf(stderr, "%s %s: not a numeric address and port\n",
			argv[2], argv[3]);
		return 2;
	}
	cpu_s(&u0, &s0);
	t0 = now_s();
	for (p = 0; p < par; p++) {
		w[p].to = &to;
		w[p].to_len = to_len;
		w[p].secs = atof(argv[4]);
		if (pthread_create(&w[p].thread, NULL,
				   connect_each ? crr_worker : rr_worker, &w[p]))
			die("pthread_create");
	}
	for (p = 0; p < par; p++) {
		pthread_join(w[p].thread, NULL);
		n += w[p].n;
		errors += w[p].errors;
		all_up &= w[p].up;
	}
	t = now_s() - t0;
	all = malloc((n + 1) * sizeof(*all));
	if (!all)
		die("malloc");
	for (p = 0, k = 0; p < par; p++)
		for (i = 0; i < w[p].n; i++)
			all[k++] = w[p].lat_ns[i];
	qsort(all, n, sizeof(*all), cmp_u32);
	cpu_s(&u1, &s1);
	printf("%s %d n %zu rate %.1f p50_us %.1f p99_us %.1f errors %lu usr_s %.2f sys_s %.2f\n",
	       argv[1], par, n, n / t,
	       n ? all[n / 2] / 1e3 : 0.0, n ? all[n * 99 / 100] / 1e3 : 0.0,
	       errors, u1 - u0, s1 - s0);
	if (connect_each)
		return n ? 0 : 1;
	return all_up ? 0 : 1;
}

/* The echo server: one epoll loop per thread, each with its own listener. */
static void *serve_loop(void *arg)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(*(int *)arg),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	struct epoll_event ev, evs[MAX_EVENTS];
	int one = 1, zero = 0;
	int lfd, ep, i, n, fd;
	char buf[65536];
	ssize_t got;

	lfd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 4096))
		die("bind/listen");
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1");
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		n = epoll_wait(ep, evs, MAX_EVENTS, -1);
		for (i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == lfd) {
				while ((fd = accept4(lfd, NULL, NULL,
						     SOCK_CLOEXEC)) >= 0) {
					setsockopt(fd, IPPROTO_TCP, TCP_NODELAY,
						   &one, sizeof(one));
					ev.events = EPOLLIN;
					ev.data.fd = fd;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			/* the socket blocks: an echo of what came is sent whole */
			got = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (got < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (got <= 0 || send(fd, buf, got, MSG_NOSIGNAL) != got)
				close(fd);	/* leaves the epoll set with it */
		}
	}
	return NULL;
}

static int serve(int argc, char **argv)
{
	static int port;
	pthread_t t;
	long threads;
	int i;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s serve PORT [THREADS]\n", argv[0]);
		return 2;
	}
	port = atoi(argv[2]);
	threads = argc == 4 ? atol(argv[3]) : sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	for (i = 1; i < threads; i++)
		if (pthread_create(&t, NULL, serve_loop, &port))
			die("pthread_create");
	serve_loop(&port);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && !strcmp(argv[1], "serve"))
		return serve(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "rr"))
		return client(argc, argv, 0);
	if (argc >= 2 && !strcmp(argv[1], "crr"))
		return client(argc, argv, 1);
	fprintf(stderr, "usage: %s serve PORT [THREADS] | rr|crr ADDR PORT SECS [PAR]\n",
		argv[0]);
	return 2;
}

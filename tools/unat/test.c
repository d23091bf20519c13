// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of unat(8) that need no kernel module: the command line
 * parsers, the DEV_SET and FWD_* requests they build, the printing of
 * hand-built DEV_GET, FLOW_GET and FWD_GET answers, the decoding of
 * extended acks, and the JSON writer. `make test` runs them; the exit status is the failure count.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "cli.h"

static int checks, failures;

#define CHECK(cond, ...)						\
	do {								\
		checks++;						\
		if (!(cond)) {						\
			failures++;					\
			printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

#define CHECK_STR(got, want)						\
	CHECK(!strcmp((got), (want)), "got\n%s\nwant\n%s", (got), (want))

/* --- captured diagnostics and output ------------------------------------- */

static char *err_buf;
static size_t err_len;

static void err_reset(void)
{
	if (unat_errf)
		fclose(unat_errf);
	free(err_buf);
	err_buf = NULL;
	unat_errf = open_memstream(&err_buf, &err_len);
}

static const char *err_text(void)
{
	fflush(unat_errf);
	return err_buf ? err_buf : "";
}

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *cap_open(struct capture *c)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static const char *cap_text(struct capture *c)
{
	fflush(c->f);
	return c->buf ? c->buf : "";
}

static void cap_close(struct capture *c)
{
	fclose(c->f);
	free(c->buf);
}

/* --- parsers -------------------------------------------------------------- */

static void test_endpoint(void)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536",
		"1.2.3.4:-1", "1.2.3.4:53x", "[::1", "[::1]x", "[::1]:",
		"[1.2.3.4]:53", "host.example", "fe80::1%eth0", "[]:53",
		"256.1.1.1",
	};
	char buf[UNAT_ENDPOINT_STRLEN];
	struct unat_endpoint ep;
	size_t i;

	err_reset();
	CHECK(!unat_parse_endpoint("192.0.2.1", 53, &ep), "ipv4");
	CHECK(ep.family == AF_INET && ep.port == 53 &&
	      ep.addr.v4.s_addr == htonl(0xc0000201), "ipv4 value");
	CHECK_STR(unat_endpoint_str(&ep, buf, sizeof(buf)), "192.0.2.1:53");
	CHECK(!unat_parse_endpoint("192.0.2.1:5353", 53, &ep) &&
	      ep.port == 5353, "ipv4 port");
	CHECK(!unat_parse_endpoint("[2001:db8::1]:853", 53, &ep) &&
	      ep.family == AF_INET6 && ep.port == 853, "ipv6 port");
	CHECK_STR(unat_endpoint_str(&ep, buf, sizeof(buf)),
		  "[2001:db8::1]:853");
	CHECK(!unat_parse_endpoint("2001:db8::1", 53, &ep) &&
	      ep.family == AF_INET6 && ep.port == 53, "bare ipv6");
	CHECK(!unat_parse_endpoint("[::1]", 53, &ep) &&
	      ep.family == AF_INET6 && ep.port == 53, "bracketed ipv6");
	CHECK(!unat_parse_endpoint("::ffff:192.0.2.1", 53, &ep) &&
	      ep.family == AF_INET6, "v4-mapped");
	ep.port = 0;
	CHECK_STR(unat_endpoint_str(&ep, buf, sizeof(buf)),
		  "::ffff:192.0.2.1");
	CHECK_STR(err_text(), "");

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err_reset();
		CHECK(unat_parse_endpoint(bad[i], 53, &ep) == -1,
		      "'%s' accepted", bad[i]);
		CHECK(strstr(err_text(), bad[i]) &&
		      (strstr(err_text(), "invalid address") ||
		       strstr(err_text(), "invalid port")),
		      "'%s': %s", bad[i], err_text());
	}
}

static void test_numbers(void)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "0x10", "4294967296", "1e3", "x",
	};
	uint32_t v;
	bool b;
	size_t i;

	err_reset();
	CHECK(!unat_parse_u32("0", "n", &v) && v == 0, "0");
	CHECK(!unat_parse_u32("4294967295", "n", &v) && v == UINT32_MAX,
	      "u32 max");
	CHECK(!unat_parse_u32("0180", "n", &v) && v == 180, "leading 0");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK(unat_parse_u32(bad[i], "n", &v) == -1, "'%s'", bad[i]);
	CHECK(!unat_parse_onoff("on", "x", &b) && b, "on");
	CHECK(!unat_parse_onoff("off", "x", &b) && !b, "off");
	CHECK(unat_parse_onoff("yes", "x", &b) == -1, "yes");
	CHECK(unat_parse_onoff("", "x", &b) == -1, "empty");
	CHECK(!unat_parse_ifname("unat0"), "unat0");
	CHECK(!unat_parse_ifname("abcdefghijklmno"), "15 characters");
	CHECK(unat_parse_ifname("abcdefghijklmnop") == -1, "16 characters");
	CHECK(unat_parse_ifname("") == -1, "empty name");
}

static char tmpfile_name[] = "/tmp/unat-test-XXXXXX";

static char *write_tmp(const char *text)
{
	int fd;

	strcpy(tmpfile_name, "/tmp/unat-test-XXXXXX");
	fd = mkstemp(tmpfile_name);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror("tmp file");
		exit(99);
	}
	close(fd);
	return tmpfile_name;
}

static void test_resolv_conf(void)
{
	struct unat_endpoint eps[UNAT_MAX_DNS_UPSTREAMS];
	char buf[UNAT_ENDPOINT_STRLEN];
	const char *path;
	int n;

	path = write_tmp("# generated\n"
			 "search example.com\n"
			 "nameserver 192.0.2.1\n"
			 "nameserver\t2001:db8::53   # comment\n"
			 "nameserver fe80::1%eth0\n"
			 "nameserver bogus\n"
			 " nameserver 192.0.2.99\n"
			 "nameservers 192.0.2.98\n"
			 "nameserver 192.0.2.2\n"
			 "nameserver 192.0.2.3\r\n"
			 "nameserver 192.0.2.4\n"
			 "nameserver 192.0.2.5");
	err_reset();
	n = unat_read_resolv_conf(path, eps, UNAT_MAX_DNS_UPSTREAMS);
	CHECK(n == 4, "resolv.conf: %d servers", n);
	if (n == 4) {
		CHECK_STR(unat_endpoint_str(&eps[0], buf, sizeof(buf)),
			  "192.0.2.1:53");
		CHECK_STR(unat_endpoint_str(&eps[1], buf, sizeof(buf)),
			  "[2001:db8::53]:53");
		CHECK_STR(unat_endpoint_str(&eps[2], buf, sizeof(buf)),
			  "192.0.2.2:53");
		CHECK_STR(unat_endpoint_str(&eps[3], buf, sizeof(buf)),
			  "192.0.2.3:53");
	}
	CHECK(strstr(err_text(), ":5: skipping scoped address fe80::1%eth0") &&
	      strstr(err_text(), ":6: skipping invalid address 'bogus'"),
	      "resolv.conf warnings: %s", err_text());
	unlink(path);

	path = write_tmp("search example.com\n# nameserver 192.0.2.1\n");
	err_reset();
	CHECK(unat_read_resolv_conf(path, eps, 4) == -1, "no nameserver");
	CHECK(strstr(err_text(), "no nameserver in /tmp/unat-test-"),
	      "%s", err_text());
	unlink(path);

	err_reset();
	CHECK(unat_read_resolv_conf("/nonexistent/resolv.conf", eps, 4) == -1,
	      "missing file");
	CHECK(strstr(err_text(), "cannot read /nonexistent/resolv.conf: No such file"),
	      "%s", err_text());
}

/* --- `set` and the request it builds --------------------------------------- */

static int parse_set_list(struct unat_set_req *req, char **args)
{
	int n = 0;

	while (args[n])
		n++;
	err_reset();
	return unat_parse_set(n, args, req);
}

#define SET(req, ...) parse_set_list(req, (char *[]){ __VA_ARGS__, NULL })

static const struct nlattr *find_attr(const struct nlattr *first, size_t len,
				      unsigned int type, int nth)
{
	const struct nlattr *a = first;
	int rem = len;

	for (; mnl_attr_ok(a, rem);
	     rem -= MNL_ALIGN(a->nla_len), a = mnl_attr_next(a))
		if (mnl_attr_get_type(a) == type && nth-- == 0)
			return a;
	return NULL;
}

static const struct nlattr *msg_attr(const struct nlmsghdr *nlh,
				     unsigned int type)
{
	size_t off = MNL_ALIGN(sizeof(struct genlmsghdr));

	return find_attr(mnl_nlmsg_get_payload_offset(nlh, off),
			 mnl_nlmsg_get_payload_len(nlh) - off, type, 0);
}

static const struct nlattr *nest_attr(const struct nlattr *nest,
				      unsigned int type, int nth)
{
	if (!nest)
		return NULL;
	return find_attr(mnl_attr_get_payload(nest),
			 mnl_attr_get_payload_len(nest), type, nth);
}

static void test_set_request(void)
{
	char buf[UNAT_REQ_SIZE];
	const struct nlattr *dns, *s0, *s1, *a;
	struct unat_set_req req;
	struct nlmsghdr *nlh;
	const struct genlmsghdr *genl;
	struct in6_addr v6;

	CHECK(!SET(&req, "unat0", "dns", "192.0.2.1", "[2001:db8::1]:5353",
		   "udp-timeout", "30", "tcp-timeout", "600", "flow-limit", "100",
		   "hostloop", "off",
		   "restrict", "on", "domain", "corp.example", "search",
		   "corp.example lab.example"), "full set: %s", err_text());
	CHECK(req.has_dns && req.n_dns == 2 && req.udp_timeout == 30 &&
	      req.has_tcp_timeout && req.tcp_timeout == 600 &&
	      req.flow_limit == 100 && req.has_hostloop && !req.hostloop &&
	      req.has_restrict && req.restricted &&
	      !strcmp(req.domain, "corp.example") &&
	      !strcmp(req.search, "corp.example lab.example"), "full set values");

	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_DEV_SET, 0);
	unat_put_set(nlh, &req);
	genl = mnl_nlmsg_get_payload(nlh);
	CHECK(nlh->nlmsg_type == 0x1234 && genl->cmd == UNAT_CMD_DEV_SET &&
	      genl->version == UNAT_GENL_VERSION &&
	      (nlh->nlmsg_flags & NLM_F_REQUEST), "header");
	a = msg_attr(nlh, UNAT_A_DEV_IFNAME);
	CHECK(a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
	      !strcmp(mnl_attr_get_str(a), "unat0"), "ifname");
	dns = msg_attr(nlh, UNAT_A_DEV_DNS);
	s0 = nest_attr(dns, UNAT_A_DNS_SERVER, 0);
	s1 = nest_attr(dns, UNAT_A_DNS_SERVER, 1);
	CHECK(s0 && s1 && !nest_attr(dns, UNAT_A_DNS_SERVER, 2),
	      "two servers");
	a = nest_attr(s0, UNAT_A_ENDPOINT_ADDR4, 0);
	CHECK(a && mnl_attr_get_payload_len(a) == 4 &&
	      mnl_attr_get_u32(a) == htonl(0xc0000201), "server 0 addr4");
	a = nest_attr(s0, UNAT_A_ENDPOINT_PORT, 0);
	CHECK(a && mnl_attr_get_payload_len(a) == 2 && mnl_attr_get_u16(a) == 53,
	      "server 0 port");
	inet_pton(AF_INET6, "2001:db8::1", &v6);
	a = nest_attr(s1, UNAT_A_ENDPOINT_ADDR6, 0);
	CHECK(a && mnl_attr_get_payload_len(a) == 16 &&
	      !memcmp(mnl_attr_get_payload(a), &v6, 16), "server 1 addr6");
	CHECK(!nest_attr(s1, UNAT_A_ENDPOINT_ADDR4, 0), "server 1 no addr4");
	a = nest_attr(s1, UNAT_A_ENDPOINT_PORT, 0);
	CHECK(a && mnl_attr_get_u16(a) == 5353, "server 1 port");
	a = msg_attr(nlh, UNAT_A_DEV_UDP_TIMEOUT);
	CHECK(a && mnl_attr_get_payload_len(a) == 4 && mnl_attr_get_u32(a) == 30,
	      "udp-timeout");
	a = msg_attr(nlh, UNAT_A_DEV_TCP_TIMEOUT);
	CHECK(a && mnl_attr_get_payload_len(a) == 4 &&
	      mnl_attr_get_u32(a) == 600, "tcp-timeout");
	a = msg_attr(nlh, UNAT_A_DEV_FLOW_LIMIT);
	CHECK(a && mnl_attr_get_u32(a) == 100, "flow-limit");
	CHECK(!msg_attr(nlh, UNAT_A_DEV_CONNECT_LIMIT) &&
	      !msg_attr(nlh, UNAT_A_DEV_PORT_SHARE), "limits not given");

	a = msg_attr(nlh, UNAT_A_DEV_HOSTLOOP);
	CHECK(a && mnl_attr_get_payload_len(a) == 1 && mnl_attr_get_u8(a) == 0,
	      "hostloop");
	a = msg_attr(nlh, UNAT_A_DEV_RESTRICT);
	CHECK(a && mnl_attr_get_u8(a) == 1, "restrict");
	a = msg_attr(nlh, UNAT_A_DEV_SEARCH);
	CHECK(a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
	      !strcmp(mnl_attr_get_str(a), "corp.example lab.example"),
	      "search");

	/* connect-limit and port-share, "N" or "N%" */
	CHECK(!SET(&req, "unat0", "connect-limit", "64", "port-share", "10%"),
	      "limits: %s", err_text());
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_DEV_SET, 0);
	unat_put_set(nlh, &req);
	a = msg_attr(nlh, UNAT_A_DEV_CONNECT_LIMIT);
	CHECK(a && mnl_attr_get_payload_len(a) == 4 &&
	      mnl_attr_get_u32(a) == 64, "connect-limit");
	a = msg_attr(nlh, UNAT_A_DEV_PORT_SHARE);
	CHECK(a && mnl_attr_get_payload_len(a) == 1 &&
	      mnl_attr_get_u8(a) == 10, "port-share");
	CHECK(!SET(&req, "unat0", "port-share", "100") && req.port_share == 100,
	      "port-share without %%");
	CHECK(SET(&req, "unat0", "port-share", "256") == UNAT_EXIT_USAGE &&
	      strstr(err_text(), "expected a percentage"), "port-share 256");
	CHECK(SET(&req, "unat0", "port-share", "%") == UNAT_EXIT_USAGE,
	      "port-share %%");
	CHECK(SET(&req, "unat0", "port-share", "5%%") == UNAT_EXIT_USAGE,
	      "port-share 5%%%%");

	/* queue-limit: bytes, or K, M, G */
	CHECK(!SET(&req, "unat0", "queue-limit", "300000") &&
	      req.queue_limit == 300000, "queue-limit bytes");
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_DEV_SET, 0);
	unat_put_set(nlh, &req);
	a = msg_attr(nlh, UNAT_A_DEV_QUEUE_LIMIT);
	CHECK(a && mnl_attr_get_payload_len(a) == 4 &&
	      mnl_attr_get_u32(a) == 300000, "queue-limit attribute");
	CHECK(!SET(&req, "unat0", "queue-limit", "512k") &&
	      req.queue_limit == 512 << 10, "queue-limit 512k");
	CHECK(!SET(&req, "unat0", "queue-limit", "16M") &&
	      req.queue_limit == 16 << 20, "queue-limit 16M");
	CHECK(!SET(&req, "unat0", "queue-limit", "1G") &&
	      req.queue_limit == 1 << 30, "queue-limit 1G");
	CHECK(SET(&req, "unat0", "queue-limit", "4G") == UNAT_EXIT_USAGE &&
	      strstr(err_text(), "expected a size"), "queue-limit 4G");
	CHECK(SET(&req, "unat0", "queue-limit", "M") == UNAT_EXIT_USAGE,
	      "queue-limit M");
	CHECK(SET(&req, "unat0", "queue-limit", "1T") == UNAT_EXIT_USAGE,
	      "queue-limit 1T");
	CHECK(SET(&req, "unat0", "queue-limit", "-1K") == UNAT_EXIT_USAGE,
	      "queue-limit -1K");

	/* only what is given is sent; "dns none" is an empty nest */
	CHECK(!SET(&req, "unat0", "dns", "none", "hostloop", "on"), "dns none");
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_DEV_SET, 0);
	unat_put_set(nlh, &req);
	dns = msg_attr(nlh, UNAT_A_DEV_DNS);
	CHECK(dns && mnl_attr_get_payload_len(dns) == 0, "empty dns nest");
	CHECK(!msg_attr(nlh, UNAT_A_DEV_UDP_TIMEOUT) &&
	      !msg_attr(nlh, UNAT_A_DEV_DOMAIN) &&
	      !msg_attr(nlh, UNAT_A_DEV_RESTRICT), "nothing else");
	CHECK(!SET(&req, "unat0", "domain", ""), "empty domain");
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_DEV_SET, 0);
	unat_put_set(nlh, &req);
	a = msg_attr(nlh, UNAT_A_DEV_DOMAIN);
	CHECK(a && mnl_attr_get_payload_len(a) == 1, "empty domain sent");
	CHECK(!msg_attr(nlh, UNAT_A_DEV_DNS), "no dns nest");
}

static void test_set_resolv_conf(void)
{
	struct unat_set_req req;
	char *path;

	path = write_tmp("nameserver 192.0.2.7\nnameserver ::1\n");
	CHECK(!SET(&req, "unat0", "dns", "resolv-conf", path, "restrict",
		   "off"), "resolv-conf FILE: %s", err_text());
	CHECK(req.n_dns == 2 && req.dns[1].family == AF_INET6 &&
	      req.dns[1].port == 53 && req.has_restrict, "resolv-conf values");
	CHECK(SET(&req, "unat0", "dns", "resolv-conf", path, "extra") ==
	      UNAT_EXIT_USAGE, "resolv-conf FILE extra");
	unlink(path);
	CHECK(SET(&req, "unat0", "dns", "resolv-conf", "/nonexistent") ==
	      UNAT_EXIT_FAIL, "resolv-conf missing file");
}

static void test_set_errors(void)
{
	static struct {
		char *args[10];
		const char *msg;
	} cases[] = {
		{ { NULL }, "'set' needs a device" },
		{ { "unat0" }, "'set unat0' needs something to set" },
		{ { "abcdefghijklmnopq", "hostloop", "on" },
		  "invalid device name" },
		{ { "unat0", "bogus", "1" }, "unknown setting 'bogus'" },
		{ { "unat0", "udp-timeout" }, "'udp-timeout' needs a value" },
		{ { "unat0", "udp-timeout", "soon" },
		  "invalid udp-timeout 'soon'" },
		{ { "unat0", "flow-limit", "-5" }, "invalid flow-limit '-5'" },
		{ { "unat0", "hostloop", "maybe" },
		  "invalid hostloop 'maybe': expected 'on' or 'off'" },
		{ { "unat0", "restrict" }, "'restrict' needs a value" },
		{ { "unat0", "dns" }, "'dns' needs ADDR[:PORT]" },
		{ { "unat0", "dns", "hostloop", "on" }, "'dns' needs ADDR[:PORT]" },
		{ { "unat0", "dns", "192.0.2.1", "192.0.2.2", "192.0.2.3",
		    "192.0.2.4", "192.0.2.5" }, "at most 4 DNS servers" },
		{ { "unat0", "dns", "none", "192.0.2.1" },
		  "unexpected '192.0.2.1' after 'dns none'" },
		{ { "unat0", "dns", "192.0.2.300" },
		  "invalid address '192.0.2.300'" },
		{ { "unat0", "dns", "192.0.2.1:99999" },
		  "invalid port in '192.0.2.1:99999'" },
		{ { "unat0", "dns", "192.0.2.1", "dns", "192.0.2.2" },
		  "'dns' given twice" },
		{ { "unat0", "domain", "a", "domain", "b" },
		  "'domain' given twice" },
		{ { "unat0", "search" }, "'search' needs a value" },
	};
	char longname[UNAT_MAX_SEARCH_LEN + 2];
	struct unat_set_req req;
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (n = 0; cases[i].args[n]; n++)
			;
		err_reset();
		CHECK(unat_parse_set(n, cases[i].args, &req) ==
		      UNAT_EXIT_USAGE, "case %zu not a usage error", i);
		CHECK(strstr(err_text(), cases[i].msg), "case %zu: '%s' lacks '%s'",
		      i, err_text(), cases[i].msg);
	}

	memset(longname, 'a', sizeof(longname) - 1);
	longname[UNAT_MAX_NAME_LEN + 1] = '\0';
	CHECK(SET(&req, "unat0", "domain", longname) == UNAT_EXIT_USAGE,
	      "long domain");
	longname[UNAT_MAX_NAME_LEN] = '\0';
	CHECK(!SET(&req, "unat0", "domain", longname), "253 characters");
	longname[UNAT_MAX_SEARCH_LEN + 1] = '\0';
	memset(longname, 'a', UNAT_MAX_SEARCH_LEN + 1);
	CHECK(SET(&req, "unat0", "search", longname) == UNAT_EXIT_USAGE,
	      "long search");
	CHECK(strstr(err_text(), "search is longer than 1024"), "%s",
	      err_text());
}

/* --- `fwd` ----------------------------------------------------------------- */

static void test_fwd_parse(void)
{
	static const struct {
		const char *spec;
		uint8_t proto;
		const char *addr;	/* NULL: none given; IPv6 if it has ':' */
		uint16_t port, count, guest_port;
		bool has_guest;
	} good[] = {
		{ "tcp:8080:80", IPPROTO_TCP, NULL, 8080, 1, 80, true },
		{ "tcp:127.0.0.1:2222:22", IPPROTO_TCP, "127.0.0.1", 2222, 1,
		  22, true },
		{ "udp:5353", IPPROTO_UDP, NULL, 5353, 1, 5353, false },
		{ "tcp:8000-8009:9000", IPPROTO_TCP, NULL, 8000, 10, 9000,
		  true },
		{ "tcp:0:80", IPPROTO_TCP, NULL, 0, 1, 80, true },
		{ "udp:192.0.2.1:6000-6009:7000-7009", IPPROTO_UDP,
		  "192.0.2.1", 6000, 10, 7000, true },
		{ "tcp:192.0.2.1:80", IPPROTO_TCP, "192.0.2.1", 80, 1, 80,
		  false },
		{ "tcp:0.0.0.0:80-81", IPPROTO_TCP, "0.0.0.0", 80, 2, 80,
		  false },
		{ "udp:1-1024", IPPROTO_UDP, NULL, 1, 1024, 1, false },
		{ "udp:64512-65535:1", IPPROTO_UDP, NULL, 64512, 1024, 1,
		  true },
		{ "tcp:65535:65535", IPPROTO_TCP, NULL, 65535, 1, 65535, true },
		{ "tcp:22-22:2222-2222", IPPROTO_TCP, NULL, 22, 1, 2222, true },
		{ "tcp:8080:80-80", IPPROTO_TCP, NULL, 8080, 1, 80, true },
		{ "tcp:0", IPPROTO_TCP, NULL, 0, 1, 0, false },
		{ "tcp:08080:00080", IPPROTO_TCP, NULL, 8080, 1, 80, true },
		{ "udp:65000-65535:65000", IPPROTO_UDP, NULL, 65000, 536,
		  65000, true },
		{ "tcp:[::]:8080:80", IPPROTO_TCP, "::", 8080, 1, 80, true },
		{ "udp:[2001:db8::1]:5353", IPPROTO_UDP, "2001:db8::1", 5353, 1,
		  5353, false },
		{ "tcp:[fd00::1]:8000-8009:9000", IPPROTO_TCP, "fd00::1", 8000,
		  10, 9000, true },
		{ "tcp:[::1]:0:22", IPPROTO_TCP, "::1", 0, 1, 22, true },
		{ "tcp:[2001:DB8::A]:80-81:90-91", IPPROTO_TCP, "2001:db8::a",
		  80, 2, 90, true },
		{ "udp:[::ffff:192.0.2.1]:53", IPPROTO_UDP, "::ffff:192.0.2.1",
		  53, 1, 53, false },
		{ "udp:[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535-65535:65535-65535",
		  IPPROTO_UDP, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535,
		  1, 65535, true },
	};
	static const struct {
		const char *spec;
		const char *msg;
	} bad[] = {
		{ "", "the protocol is missing" },
		{ "8080:80", "the protocol is missing" },
		{ ":8080:80", "the protocol is missing" },
		{ "sctp:80", "unknown protocol 'sctp': expected tcp or udp" },
		{ "TCP:80", "unknown protocol 'TCP'" },
		{ "tcp", "the host port is missing" },
		{ "tcp:", "an empty part between ':'" },
		{ "tcp::80", "an empty part between ':'" },
		{ "tcp:80:", "an empty part between ':'" },
		{ "tcp:1.2.3.4::80", "an empty part between ':'" },
		{ "tcp:1.2.3.4", "the host port is missing after the address" },
		{ "tcp:1.2.3:80", "invalid IPv4 address '1.2.3'" },
		{ "tcp:256.1.1.1:80", "invalid IPv4 address '256.1.1.1'" },
		{ "tcp:host:80:80", "invalid IPv4 address 'host'" },
		{ "tcp:1.2.3.4:80:80:1", "too many ':'" },
		{ "tcp:80:80:80:80", "too many ':'" },
		{ "tcp:70000", "port must be 1-65535" },
		{ "tcp:65536", "port must be 1-65535" },
		{ "tcp:99999999999999999999999", "port must be 1-65535" },
		{ "tcp:8080:65536", "port must be 1-65535" },
		{ "tcp:8080:0", "port must be 1-65535" },
		{ "tcp:0-5", "port must be 1-65535 in a range" },
		{ "tcp:5-0", "port must be 1-65535 in a range" },
		{ "tcp:0-0", "port must be 1-65535 in a range" },
		{ "tcp:80:0-0", "port must be 1-65535 in a range" },
		{ "tcp:1-65536", "port must be 1-65535" },
		{ "tcp:10-5", "range 10-5 ends below its start" },
		{ "tcp:80:90-89", "range 90-89 ends below its start" },
		{ "tcp:1-1025", "a range has at most 1024 ports" },
		{ "tcp:1000-3000:1000", "a range has at most 1024 ports" },
		{ "tcp:8000-8009:80-81", "host and guest ranges differ in length" },
		{ "tcp:8080:80-81", "host and guest ranges differ in length" },
		{ "tcp:0:80-81", "host and guest ranges differ in length" },
		{ "tcp:65000-65535:65500", "the guest ports go past 65535" },
		{ "tcp:80x", "'80x' is not a port or a port range" },
		{ "tcp:80-", "'80-' is not a port or a port range" },
		{ "tcp:-80", "'-80' is not a port or a port range" },
		{ "tcp:1-2-3", "'1-2-3' is not a port or a port range" },
		{ "tcp:+80", "'+80' is not a port or a port range" },
		{ "tcp: 80", "' 80' is not a port or a port range" },
		{ "tcp:80 ", "'80 ' is not a port or a port range" },
		{ "tcp:8080:80x", "'80x' is not a port or a port range" },
		{ "tcp:0x50", "'0x50' is not a port or a port range" },
		{ "tcp:1.2.3.4:80:8o", "'8o' is not a port or a port range" },
		{ "tcp:[::1]:70000", "port must be 1-65535" },
		{ "tcp:[::1]:8000-8009:80-81",
		  "host and guest ranges differ in length" },
		{ "tcp:[::1]:8o", "'8o' is not a port or a port range" },
		{ "udp:12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012",
		  "longer than 95 characters" },
	};
	struct unat_fwd_spec f;
	struct in6_addr a6;
	struct in_addr a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		err_reset();
		CHECK(!unat_parse_fwd(good[i].spec, &f), "'%s': %s",
		      good[i].spec, err_text());
		CHECK(f.proto == good[i].proto && f.port == good[i].port &&
		      f.count == good[i].count &&
		      f.guest_port == good[i].guest_port &&
		      f.has_guest == good[i].has_guest &&
		      f.has_addr == !!good[i].addr,
		      "'%s': proto %u port %u count %u guest %u", good[i].spec,
		      f.proto, f.port, f.count, f.guest_port);
		if (good[i].addr && strchr(good[i].addr, ':')) {
			inet_pton(AF_INET6, good[i].addr, &a6);
			CHECK(f.family == AF_INET6 &&
			      !memcmp(&f.addr6, &a6, sizeof(a6)),
			      "'%s' IPv6 address", good[i].spec);
		} else {
			CHECK(f.family == AF_INET, "'%s' family", good[i].spec);
		}
		if (good[i].addr && !strchr(good[i].addr, ':')) {
			inet_pton(AF_INET, good[i].addr, &a);
			CHECK(f.addr.s_addr == a.s_addr, "'%s' address",
			      good[i].spec);
		}
		CHECK_STR(err_text(), "");
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err_reset();
		CHECK(unat_parse_fwd(bad[i].spec, &f) == -1, "'%s' accepted",
		      bad[i].spec);
		CHECK(strstr(err_text(), "unat: bad forward '") &&
		      strstr(err_text(), bad[i].msg) &&
		      !strchr(err_text(), '\n')[1],
		      "'%s': '%s' lacks '%s'", bad[i].spec, err_text(),
		      bad[i].msg);
	}
	err_reset();
	unat_parse_fwd("tcp:70000", &f);
	CHECK_STR(err_text(), "unat: bad forward 'tcp:70000': port must be 1-65535\n");
}

/* The errors of bracketed and bare IPv6 addresses, word for word. */
static void test_fwd_parse6(void)
{
#define EXPECTED	": expected " FWD_SYNTAX "\n"
	static const struct {
		const char *spec;
		const char *msg;	/* after "unat: bad forward 'SPEC': " */
	} bad[] = {
		{ "tcp:[::1", "']' is missing after the IPv6 address\n" },
		{ "tcp:[::1:80", "']' is missing after the IPv6 address\n" },
		{ "tcp:[zz]:80", "invalid IPv6 address 'zz'\n" },
		{ "tcp:[]:80", "invalid IPv6 address ''\n" },
		{ "tcp:[fe80::1%eth0]:80",
		  "invalid IPv6 address 'fe80::1%eth0'\n" },
		{ "tcp:[2001:db8::1::2]:80",
		  "invalid IPv6 address '2001:db8::1::2'\n" },
		{ "tcp:[1.2.3.4]:80",
		  "IPv4 address '1.2.3.4' in brackets: give it without them\n" },
		{ "tcp:[::1]", "the host port is missing after the address\n" },
		{ "udp:[::]", "the host port is missing after the address\n" },
		{ "tcp:[::1]:", "an empty part between ':'\n" },
		{ "tcp:[::1]::80", "an empty part between ':'\n" },
		{ "tcp:[::1]80", "']' must be followed by ':' and the host port\n" },
		{ "tcp:[::1]]:80",
		  "']' must be followed by ':' and the host port\n" },
		{ "tcp:[::1]:80:90:1", "too many ':'" EXPECTED },
		{ "tcp:8080:[::1]", "'[' or ']' out of place" EXPECTED },
		{ "tcp:[::1]:[80]", "'[' or ']' out of place" EXPECTED },
		{ "tcp:1.2.3.4]:80", "'[' or ']' out of place" EXPECTED },
		{ "tcp:::1:8080", "an IPv6 address must be in brackets" EXPECTED },
		{ "tcp:2001:db8::1:8080",
		  "an IPv6 address must be in brackets" EXPECTED },
		{ "tcp:fe80::1", "an IPv6 address must be in brackets" EXPECTED },
		{ "tcp:1:2:3:4:5:6:7:8",
		  "an IPv6 address must be in brackets" EXPECTED },
		{ "[::1]:80", "the protocol is missing" EXPECTED },
		/* no IPv6 address in them: the IPv4 forward's errors */
		{ "tcp::80", "an empty part between ':'\n" },
		{ "tcp:1.2.3.4::80", "an empty part between ':'\n" },
		{ "tcp:80:80:80:80", "too many ':'" EXPECTED },
	};
	char want[256];
	struct unat_fwd_spec f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err_reset();
		CHECK(unat_parse_fwd(bad[i].spec, &f) == -1, "'%s' accepted",
		      bad[i].spec);
		snprintf(want, sizeof(want), "unat: bad forward '%s': %s",
			 bad[i].spec, bad[i].msg);
		CHECK_STR(err_text(), want);
	}
#undef EXPECTED
}

static int parse_fwd_list(struct unat_fwd_req *req, bool del, char **args)
{
	int n = 0;

	while (args[n])
		n++;
	err_reset();
	return unat_parse_fwd_req(n, args, del, req);
}

#define FWD_ADD(req, ...) \
	parse_fwd_list(req, false, (char *[]){ __VA_ARGS__, NULL })
#define FWD_DEL(req, ...) \
	parse_fwd_list(req, true, (char *[]){ __VA_ARGS__, NULL })

static void test_fwd_args(void)
{
	static struct {
		bool del;
		char *args[7];		/* NULL-terminated */
		const char *msg;
	} cases[] = {
		{ false, { NULL }, "'fwd add' needs a device and a forward" },
		{ false, { "unat0" }, "'fwd add' needs a device and a forward" },
		{ true, { "unat0" }, "'fwd del' needs a device and a forward" },
		{ false, { "abcdefghijklmnopq", "tcp:80" },
		  "invalid device name" },
		{ false, { "unat0", "tcp:70000" },
		  "bad forward 'tcp:70000': port must be 1-65535" },
		{ false, { "unat0", "tcp:0" },
		  "host port 0 (the kernel picks one) needs a guest port" },
		{ true, { "unat0", "tcp:0:80" },
		  "'fwd del' needs the host port, not 0" },
		{ false, { "unat0", "tcp:80", "source" },
		  "'source' takes client or gateway" },
		{ false, { "unat0", "tcp:80", "source", "host" },
		  "'source' takes client or gateway" },
		{ false, { "unat0", "tcp:80", "source", "client", "source",
			   "gateway" }, "'source' given twice" },
		{ false, { "unat0", "tcp:80", "frob" },
		  "unexpected 'frob' after the forward" },
		{ false, { "unat0", "tcp:80", "source", "client", "x" },
		  "unexpected 'x' after the forward" },
		{ true, { "unat0", "tcp:80", "source", "gateway" },
		  "unexpected 'source': 'fwd del' takes a device and a forward" },
	};
	struct unat_fwd_req req;
	size_t i;
	int n;

	CHECK(!FWD_ADD(&req, "unat0", "tcp:8080:80"), "add: %s", err_text());
	CHECK(!strcmp(req.ifname, "unat0") && req.spec.port == 8080 &&
	      req.spec.guest_port == 80 && req.flags == 0, "add values");
	CHECK(!FWD_ADD(&req, "unat0", "udp:5353", "source", "gateway"),
	      "source gateway: %s", err_text());
	CHECK(req.flags == UNAT_FWD_F_GATEWAY_SOURCE, "gateway flag");
	CHECK(!FWD_ADD(&req, "unat0", "udp:5353", "source", "client") &&
	      req.flags == 0, "source client");
	CHECK(!FWD_ADD(&req, "unat0", "tcp:0:22") && req.spec.port == 0 &&
	      req.spec.guest_port == 22, "port 0 picked");
	CHECK(!FWD_DEL(&req, "unat0", "tcp:8000-8009:9000") &&
	      req.spec.port == 8000, "del with the guest part");
	CHECK(!FWD_DEL(&req, "unat0", "tcp:192.0.2.1:8000") &&
	      req.spec.has_addr, "del with an address");
	CHECK(!FWD_ADD(&req, "unat0", "tcp:[::]:8080:80", "source", "gateway") &&
	      req.spec.family == AF_INET6 && req.spec.port == 8080 &&
	      req.flags == UNAT_FWD_F_GATEWAY_SOURCE, "add IPv6: %s",
	      err_text());
	CHECK(!FWD_DEL(&req, "unat0", "udp:[2001:db8::1]:5353") &&
	      req.spec.family == AF_INET6 && req.spec.port == 5353,
	      "del IPv6: %s", err_text());
	CHECK(FWD_DEL(&req, "unat0", "tcp:[::]:0:80") == UNAT_EXIT_USAGE &&
	      strstr(err_text(), "'fwd del' needs the host port, not 0"),
	      "del IPv6 port 0: %s", err_text());

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (n = 0; cases[i].args[n]; n++)
			;
		err_reset();
		CHECK(unat_parse_fwd_req(n, cases[i].args, cases[i].del,
					 &req) == UNAT_EXIT_USAGE,
		      "case %zu not a usage error", i);
		CHECK(strstr(err_text(), cases[i].msg),
		      "case %zu: '%s' lacks '%s'", i, err_text(),
		      cases[i].msg);
	}
}

static void test_fwd_request(void)
{
	char buf[UNAT_REQ_SIZE];
	const struct nlattr *host, *a;
	const struct genlmsghdr *genl;
	struct unat_fwd_req req;
	struct nlmsghdr *nlh;

	CHECK(!FWD_ADD(&req, "unat0", "udp:192.0.2.1:6000-6009:7000",
		       "source", "gateway"), "add request: %s", err_text());
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_FWD_ADD, 0);
	unat_put_fwd(nlh, &req, false);
	genl = mnl_nlmsg_get_payload(nlh);
	CHECK(genl->cmd == UNAT_CMD_FWD_ADD, "add command");
	a = msg_attr(nlh, UNAT_A_FWD_IFNAME);
	CHECK(a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
	      !strcmp(mnl_attr_get_str(a), "unat0"), "ifname");
	a = msg_attr(nlh, UNAT_A_FWD_PROTO);
	CHECK(a && mnl_attr_get_payload_len(a) == 1 &&
	      mnl_attr_get_u8(a) == IPPROTO_UDP, "proto");
	host = msg_attr(nlh, UNAT_A_FWD_HOST);
	a = nest_attr(host, UNAT_A_ENDPOINT_ADDR4, 0);
	CHECK(a && mnl_attr_get_payload_len(a) == 4 &&
	      mnl_attr_get_u32(a) == htonl(0xc0000201), "host addr4");
	a = nest_attr(host, UNAT_A_ENDPOINT_PORT, 0);
	CHECK(a && mnl_attr_get_payload_len(a) == 2 &&
	      mnl_attr_get_u16(a) == 6000, "host port");
	a = msg_attr(nlh, UNAT_A_FWD_GUEST_PORT);
	CHECK(a && mnl_attr_get_payload_len(a) == 2 &&
	      mnl_attr_get_u16(a) == 7000, "guest port");
	a = msg_attr(nlh, UNAT_A_FWD_COUNT);
	CHECK(a && mnl_attr_get_payload_len(a) == 2 &&
	      mnl_attr_get_u16(a) == 10, "count");
	a = msg_attr(nlh, UNAT_A_FWD_FLAGS);
	CHECK(a && mnl_attr_get_payload_len(a) == 4 &&
	      mnl_attr_get_u32(a) == UNAT_FWD_F_GATEWAY_SOURCE, "flags");
	CHECK(!msg_attr(nlh, UNAT_A_FWD_IFINDEX), "no ifindex");

	/* every address: no ADDR4; port 0 is sent */
	CHECK(!FWD_ADD(&req, "unat0", "tcp:0:22"), "port 0 request");
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_FWD_ADD, 0);
	unat_put_fwd(nlh, &req, false);
	host = msg_attr(nlh, UNAT_A_FWD_HOST);
	CHECK(host && !nest_attr(host, UNAT_A_ENDPOINT_ADDR4, 0), "no addr4");
	a = nest_attr(host, UNAT_A_ENDPOINT_PORT, 0);
	CHECK(a && mnl_attr_get_u16(a) == 0, "port 0 sent");
	a = msg_attr(nlh, UNAT_A_FWD_FLAGS);
	CHECK(a && mnl_attr_get_u32(a) == 0, "flags 0");

	/* del: what names the forward, nothing else */
	CHECK(!FWD_DEL(&req, "unat0", "tcp:127.0.0.1:2222-2223:22-23"),
	      "del request");
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_FWD_DEL, 0);
	unat_put_fwd(nlh, &req, true);
	host = msg_attr(nlh, UNAT_A_FWD_HOST);
	a = nest_attr(host, UNAT_A_ENDPOINT_ADDR4, 0);
	CHECK(a && mnl_attr_get_u32(a) == htonl(0x7f000001), "del addr4");
	a = nest_attr(host, UNAT_A_ENDPOINT_PORT, 0);
	CHECK(a && mnl_attr_get_u16(a) == 2222, "del port");
	CHECK(msg_attr(nlh, UNAT_A_FWD_IFNAME) &&
	      msg_attr(nlh, UNAT_A_FWD_PROTO), "del ifname and proto");
	CHECK(!msg_attr(nlh, UNAT_A_FWD_GUEST_PORT) &&
	      !msg_attr(nlh, UNAT_A_FWD_COUNT) &&
	      !msg_attr(nlh, UNAT_A_FWD_FLAGS), "del: nothing else");
}

/* An IPv6 forward is one with ADDR6, "::" included, and never ADDR4. */
static void test_fwd_request6(void)
{
	static const uint8_t db8_1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t any6[16];
	char buf[UNAT_REQ_SIZE];
	const struct nlattr *host, *a;
	struct unat_fwd_req req;
	struct nlmsghdr *nlh;

	CHECK(!FWD_ADD(&req, "unat0", "udp:[2001:db8::1]:6000-6009:7000"),
	      "IPv6 add request: %s", err_text());
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_FWD_ADD, 0);
	unat_put_fwd(nlh, &req, false);
	host = msg_attr(nlh, UNAT_A_FWD_HOST);
	a = nest_attr(host, UNAT_A_ENDPOINT_ADDR6, 0);
	CHECK(a && mnl_attr_get_payload_len(a) == 16 &&
	      !memcmp(mnl_attr_get_payload(a), db8_1, 16), "host addr6");
	CHECK(!nest_attr(host, UNAT_A_ENDPOINT_ADDR4, 0), "IPv6: no addr4");
	a = nest_attr(host, UNAT_A_ENDPOINT_PORT, 0);
	CHECK(a && mnl_attr_get_u16(a) == 6000, "IPv6 host port");
	a = msg_attr(nlh, UNAT_A_FWD_GUEST_PORT);
	CHECK(a && mnl_attr_get_u16(a) == 7000, "IPv6 guest port");
	a = msg_attr(nlh, UNAT_A_FWD_COUNT);
	CHECK(a && mnl_attr_get_u16(a) == 10, "IPv6 count");

	/* every IPv6 address: "::" is sent, it names the family */
	CHECK(!FWD_ADD(&req, "unat0", "tcp:[::]:0:22"), "[::] request");
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_FWD_ADD, 0);
	unat_put_fwd(nlh, &req, false);
	host = msg_attr(nlh, UNAT_A_FWD_HOST);
	a = nest_attr(host, UNAT_A_ENDPOINT_ADDR6, 0);
	CHECK(a && mnl_attr_get_payload_len(a) == 16 &&
	      !memcmp(mnl_attr_get_payload(a), any6, 16), "[::] sent");
	CHECK(!nest_attr(host, UNAT_A_ENDPOINT_ADDR4, 0), "[::]: no addr4");

	/* del: proto, family, address and first port */
	CHECK(!FWD_DEL(&req, "unat0", "tcp:[2001:db8::1]:2222-2223:22-23"),
	      "IPv6 del request");
	nlh = unat_msg_start(buf, 0x1234, UNAT_CMD_FWD_DEL, 0);
	unat_put_fwd(nlh, &req, true);
	host = msg_attr(nlh, UNAT_A_FWD_HOST);
	a = nest_attr(host, UNAT_A_ENDPOINT_ADDR6, 0);
	CHECK(a && !memcmp(mnl_attr_get_payload(a), db8_1, 16), "del addr6");
	CHECK(!nest_attr(host, UNAT_A_ENDPOINT_ADDR4, 0), "del: no addr4");
	a = nest_attr(host, UNAT_A_ENDPOINT_PORT, 0);
	CHECK(a && mnl_attr_get_u16(a) == 2222, "IPv6 del port");
	CHECK(!msg_attr(nlh, UNAT_A_FWD_GUEST_PORT) &&
	      !msg_attr(nlh, UNAT_A_FWD_COUNT) &&
	      !msg_attr(nlh, UNAT_A_FWD_FLAGS), "IPv6 del: nothing else");
}

/* --- printing hand-built answers ------------------------------------------ */

static void put_ep4(struct nlmsghdr *nlh, uint16_t type, const char *addr,
		    uint16_t port)
{
	struct unat_endpoint ep = { .family = AF_INET, .port = port };

	inet_pton(AF_INET, addr, &ep.addr.v4);
	unat_put_endpoint(nlh, type, &ep);
}

static void put_ep6(struct nlmsghdr *nlh, uint16_t type, const char *addr,
		    uint16_t port)
{
	struct unat_endpoint ep = { .family = AF_INET6, .port = port };

	inet_pton(AF_INET6, addr, &ep.addr.v6);
	unat_put_endpoint(nlh, type, &ep);
}

static void put_stat(struct nlmsghdr *nlh, const char *name, uint64_t v)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, UNAT_A_STATS_ENTRY);

	mnl_attr_put_strz(nlh, UNAT_A_STAT_NAME, name);
	mnl_attr_put_u64(nlh, UNAT_A_STAT_VALUE, v);
	mnl_attr_nest_end(nlh, e);
}

static struct nlmsghdr *dev_msg(void *buf)
{
	struct nlmsghdr *nlh = unat_msg_start(buf, 0x20, UNAT_CMD_DEV_GET, 0);
	struct nlattr *n;

	mnl_attr_put_u32(nlh, UNAT_A_DEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, UNAT_A_DEV_IFNAME, "unat0");
	n = mnl_attr_nest_start(nlh, UNAT_A_DEV_DNS);
	put_ep4(nlh, UNAT_A_DNS_SERVER, "192.168.1.1", 53);
	put_ep6(nlh, UNAT_A_DNS_SERVER, "2001:db8::53", 5353);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_UDP_TIMEOUT, 180);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_TCP_TIMEOUT, 7200);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_FLOW_LIMIT, 16384);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_FLOW_COUNT, 3);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_CONNECT_LIMIT, 1024);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_CONNECT_COUNT, 1);
	mnl_attr_put_u8(nlh, UNAT_A_DEV_PORT_SHARE, 25);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_PORT_COUNT, 2);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_PORT_CAP, 7058);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_QUEUE_LIMIT, 16777216);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_QUEUE_BYTES, 4352);
	mnl_attr_put_u32(nlh, UNAT_A_DEV_QUEUE_PEAK, 70912);
	mnl_attr_put_u8(nlh, UNAT_A_DEV_HOSTLOOP, 1);
	mnl_attr_put_u8(nlh, UNAT_A_DEV_RESTRICT, 0);
	mnl_attr_put_strz(nlh, UNAT_A_DEV_DOMAIN, "corp.example");
	mnl_attr_put_strz(nlh, UNAT_A_DEV_SEARCH, "corp.example lab.example");
	n = mnl_attr_nest_start(nlh, UNAT_A_DEV_STATS);
	put_stat(nlh, "arp_replies", 2);
	put_stat(nlh, "dhcp_offers", 1);
	put_stat(nlh, "drop_malformed", 0);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put_u32(nlh, 200, 7);	/* from a newer kernel: ignored */
	return nlh;
}

/* A device with an empty DNS nest, no names, and many counters. */
static struct nlmsghdr *dev_msg2(void *buf)
{
	struct nlmsghdr *nlh = unat_msg_start(buf, 0x20, UNAT_CMD_DEV_GET, 0);
	struct nlattr *n;
	char name[32];
	int i;

	mnl_attr_put_strz(nlh, UNAT_A_DEV_IFNAME, "u\"1\n");
	mnl_attr_put_u8(nlh, UNAT_A_DEV_HOSTLOOP, 0);
	mnl_attr_put_u8(nlh, UNAT_A_DEV_RESTRICT, 1);
	n = mnl_attr_nest_start(nlh, UNAT_A_DEV_DNS);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, UNAT_A_DEV_STATS);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "counter_number_%d", i);
		put_stat(nlh, name, 1000000 + i);
	}
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

static void test_print_dev(void)
{
	char buf[UNAT_REQ_SIZE], buf2[UNAT_REQ_SIZE];
	struct unat_out out;
	struct capture c;
	const char *t, *line;

	/* text */
	unat_out_begin(&out, cap_open(&c), false, false, false);
	unat_print_dev(dev_msg(buf), &out);
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c),
		  "unat0: hostloop on restrict off udp-timeout 180 tcp-timeout 7200 flow-limit 16384 flows 3\n"
		  "    connect-limit 1024 connecting 1 port-share 25% ports 2 of 7058\n"
		  "    queue-limit 16777216 queued 4352 peak 70912\n"
		  "    dns 192.168.1.1:53 [2001:db8::53]:5353\n"
		  "    domain corp.example search corp.example lab.example\n"
		  "    counters: arp_replies 2 dhcp_offers 1\n");
	cap_close(&c);

	unat_out_begin(&out, cap_open(&c), false, false, false);
	unat_print_dev(dev_msg2(buf2), &out);
	unat_out_end(&out, true);
	t = cap_text(&c);
	CHECK(!strncmp(t, "u\"1\n: hostloop off restrict on\n    dns none\n"
		       "    counters: counter_number_0 1000000", 76),
	      "second device:\n%s", t);
	CHECK(strstr(t, " counter_number_11 1000011\n"), "last counter");
	for (line = t; *line; line = strchr(line, '\n') + 1)
		CHECK(strchr(line, '\n') - line < 80, "long line: %s", line);
	cap_close(&c);

	/* JSON, two devices, compact and pretty */
	unat_out_begin(&out, cap_open(&c), true, false, false);
	unat_print_dev(dev_msg(buf), &out);
	unat_print_dev(dev_msg2(buf2), &out);
	unat_out_end(&out, true);
	t = cap_text(&c);
	CHECK(!strncmp(t,
		       "[{\"ifname\":\"unat0\",\"ifindex\":5,\"hostloop\":true,"
		       "\"restrict\":false,\"udp_timeout\":180,\"tcp_timeout\":7200,"
		       "\"flow_limit\":16384,"
		       "\"flow_count\":3,\"connect_limit\":1024,"
		       "\"connect_count\":1,\"port_count\":2,\"port_cap\":7058,"
		       "\"queue_limit\":16777216,\"queue_bytes\":4352,"
		       "\"queue_peak\":70912,"
		       "\"port_share\":25,\"dns\":[\"192.168.1.1:53\","
		       "\"[2001:db8::53]:5353\"],\"domain\":\"corp.example\","
		       "\"search\":\"corp.example lab.example\",\"stats\":"
		       "{\"arp_replies\":2,\"dhcp_offers\":1,\"drop_malformed\":0}},"
		       "{\"ifname\":\"u\\\"1\\n\",\"hostloop\":false,"
		       "\"restrict\":true,\"dns\":[],\"domain\":null,"
		       "\"search\":null,\"stats\":{\"counter_number_0\":1000000,",
		       547), "json:\n%s", t);
	CHECK(strlen(t) > 2 && !strcmp(t + strlen(t) - 4, "}}]\n"),
	      "json end:\n%s", t);
	cap_close(&c);

	unat_out_begin(&out, cap_open(&c), true, true, false);
	unat_print_dev(dev_msg(buf), &out);
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c),
		  "[\n"
		  "  {\n"
		  "    \"ifname\": \"unat0\",\n"
		  "    \"ifindex\": 5,\n"
		  "    \"hostloop\": true,\n"
		  "    \"restrict\": false,\n"
		  "    \"udp_timeout\": 180,\n"
		  "    \"tcp_timeout\": 7200,\n"
		  "    \"flow_limit\": 16384,\n"
		  "    \"flow_count\": 3,\n"
		  "    \"connect_limit\": 1024,\n"
		  "    \"connect_count\": 1,\n"
		  "    \"port_count\": 2,\n"
		  "    \"port_cap\": 7058,\n"
		  "    \"queue_limit\": 16777216,\n"
		  "    \"queue_bytes\": 4352,\n"
		  "    \"queue_peak\": 70912,\n"
		  "    \"port_share\": 25,\n"
		  "    \"dns\": [\n"
		  "      \"192.168.1.1:53\",\n"
		  "      \"[2001:db8::53]:5353\"\n"
		  "    ],\n"
		  "    \"domain\": \"corp.example\",\n"
		  "    \"search\": \"corp.example lab.example\",\n"
		  "    \"stats\": {\n"
		  "      \"arp_replies\": 2,\n"
		  "      \"dhcp_offers\": 1,\n"
		  "      \"drop_malformed\": 0\n"
		  "    }\n"
		  "  }\n"
		  "]\n");
	cap_close(&c);

	/* no device: "[]"; a failure before any: nothing at all */
	unat_out_begin(&out, cap_open(&c), true, true, false);
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c), "[]\n");
	cap_close(&c);
	unat_out_begin(&out, cap_open(&c), true, false, false);
	unat_out_end(&out, false);
	CHECK_STR(cap_text(&c), "");
	cap_close(&c);
}

static struct nlmsghdr *flow_msg(void *buf, int which)
{
	struct nlmsghdr *nlh = unat_msg_start(buf, 0x20, UNAT_CMD_FLOW_GET,
					      NLM_F_MULTI);

	mnl_attr_put_u32(nlh, UNAT_A_FLOW_IFINDEX, 5);
	switch (which) {
	case 0:		/* a DNS query: UDP, no remote */
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_PROTO, IPPROTO_UDP);
		put_ep4(nlh, UNAT_A_FLOW_GUEST, "10.0.2.15", 41000);
		put_ep4(nlh, UNAT_A_FLOW_HOST, "192.168.1.5", 51234);
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_STATE, UNAT_FLOW_OPEN);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_AGE, 12345);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_IDLE, 599);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_PKTS_OUT, 2);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_BYTES_OUT, 120);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_PKTS_IN, 2);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_BYTES_IN, 300);
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_KIND, UNAT_FLOW_KIND_DNS);
		break;
	case 1:		/* TCP to an IPv6 remote, no host socket yet */
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_PROTO, IPPROTO_TCP);
		put_ep4(nlh, UNAT_A_FLOW_GUEST, "10.0.2.15", 50000);
		put_ep6(nlh, UNAT_A_FLOW_REMOTE, "2001:db8::1", 443);
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_STATE, UNAT_FLOW_OPENING);
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_TCP_STATE,
				UNAT_FLOW_TCP_CONNECTING);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_AGE, 0);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_IDLE, 0);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_PKTS_OUT, 1);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_BYTES_OUT, 60);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_PKTS_IN, 0);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_BYTES_IN, 0);
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_KIND, UNAT_FLOW_KIND_NAT);
		break;
	default:	/* values this tool has no names for, a bad length */
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_PROTO, 132);
		put_ep4(nlh, UNAT_A_FLOW_GUEST, "10.0.2.15", 7);
		put_ep4(nlh, UNAT_A_FLOW_REMOTE, "10.0.2.2", 9);
		put_ep4(nlh, UNAT_A_FLOW_HOST, "127.0.0.1", 1234);
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_STATE, 9);
		mnl_attr_put_u8(nlh, UNAT_A_FLOW_KIND, 7);
		mnl_attr_put_u32(nlh, UNAT_A_FLOW_AGE, 5);
		mnl_attr_put_u64(nlh, UNAT_A_FLOW_PKTS_OUT,
				 18446744073709551615ULL);
		break;
	}
	return nlh;
}

/*
 * What @print makes of messages 0 to @n - 1 of @msg, as text (a @table or
 * lines) or JSON, in @c: read it with cap_text(), then cap_close().
 */
static void print_msgs(struct capture *c, mnl_cb_t print,
		       struct nlmsghdr *(*msg)(void *buf, int which), int n,
		       bool json, bool table)
{
	char buf[UNAT_REQ_SIZE];
	struct unat_out out;
	int i;

	unat_out_begin(&out, cap_open(c), json, false, table);
	for (i = 0; i < n; i++)
		print(msg(buf, i), &out);
	unat_out_end(&out, true);
}

static void test_print_flows(void)
{
	unsigned int malformed;
	struct unat_out out;
	struct capture c;

	malformed = unat_malformed;
	print_msgs(&c, unat_print_flow, flow_msg, 3, false, true);
	CHECK_STR(cap_text(&c),
		  "PROTO KIND STATE   GUEST                 REMOTE                HOST                      AGE    IDLE  PKTS_OUT   BYTES_OUT   PKTS_IN    BYTES_IN\n"
		  "udp   dns  open    10.0.2.15:41000       *                     192.168.1.5:51234        12.3     0.5         2         120         2         300\n"
		  "tcp   nat  connect 10.0.2.15:50000       [2001:db8::1]:443     -                         0.0     0.0         1          60         0           0\n"
		  "132   7    9       10.0.2.15:7           10.0.2.2:9            127.0.0.1:1234              -       - 18446744073709551615           -         -           -\n");
	cap_close(&c);
	CHECK(unat_malformed == malformed + 1, "the u32 age is malformed");

	print_msgs(&c, unat_print_flow, flow_msg, 3, true, true);
	CHECK_STR(cap_text(&c),
		  "[{\"proto\":\"udp\",\"kind\":\"dns\",\"state\":\"open\","
		  "\"guest\":\"10.0.2.15:41000\",\"remote\":null,"
		  "\"host\":\"192.168.1.5:51234\",\"age_ms\":12345,"
		  "\"idle_ms\":599,\"pkts_out\":2,\"bytes_out\":120,"
		  "\"pkts_in\":2,\"bytes_in\":300},"
		  "{\"proto\":\"tcp\",\"kind\":\"nat\",\"state\":\"opening\","
		  "\"tcp_state\":\"connect\","
		  "\"guest\":\"10.0.2.15:50000\",\"remote\":\"[2001:db8::1]:443\","
		  "\"host\":null,\"age_ms\":0,\"idle_ms\":0,\"pkts_out\":1,"
		  "\"bytes_out\":60,\"pkts_in\":0,\"bytes_in\":0},"
		  "{\"proto\":132,\"kind\":7,\"state\":9,"
		  "\"guest\":\"10.0.2.15:7\",\"remote\":\"10.0.2.2:9\","
		  "\"host\":\"127.0.0.1:1234\",\"age_ms\":null,\"idle_ms\":null,"
		  "\"pkts_out\":18446744073709551615,\"bytes_out\":null,"
		  "\"pkts_in\":null,\"bytes_in\":null}]\n");
	cap_close(&c);

	/* an empty table: the header alone, or [] */
	unat_out_begin(&out, cap_open(&c), false, false, true);
	unat_out_end(&out, true);
	CHECK(!strncmp(cap_text(&c), "PROTO KIND", 10) &&
	      strchr(cap_text(&c), '\n') == cap_text(&c) + c.len - 1,
	      "header only");
	cap_close(&c);
}

/* A TCP flow through a forward, its SYN sent to the guest. */
static void test_print_fwd_flow(void)
{
	char buf[UNAT_REQ_SIZE];
	struct nlmsghdr *nlh;
	struct unat_out out;
	struct capture c;

	nlh = unat_msg_start(buf, 0x20, UNAT_CMD_FLOW_GET, NLM_F_MULTI);
	mnl_attr_put_u8(nlh, UNAT_A_FLOW_PROTO, IPPROTO_TCP);
	put_ep4(nlh, UNAT_A_FLOW_GUEST, "10.0.2.15", 80);
	put_ep4(nlh, UNAT_A_FLOW_REMOTE, "192.0.2.9", 40000);
	mnl_attr_put_u8(nlh, UNAT_A_FLOW_STATE, UNAT_FLOW_OPEN);
	mnl_attr_put_u8(nlh, UNAT_A_FLOW_TCP_STATE, UNAT_FLOW_TCP_SYN_OUT);
	mnl_attr_put_u8(nlh, UNAT_A_FLOW_KIND, UNAT_FLOW_KIND_FWD);

	unat_out_begin(&out, cap_open(&c), false, false, true);
	unat_print_flow(nlh, &out);
	unat_out_end(&out, true);
	CHECK(strstr(cap_text(&c),
		     "\ntcp   fwd  synout  10.0.2.15:80          192.0.2.9:40000       -"),
	      "fwd flow:\n%s", cap_text(&c));
	cap_close(&c);

	unat_out_begin(&out, cap_open(&c), true, false, true);
	unat_print_flow(nlh, &out);
	unat_out_end(&out, true);
	CHECK(strstr(cap_text(&c),
		     "\"kind\":\"fwd\",\"state\":\"open\",\"tcp_state\":\"synout\""),
	      "fwd flow json:\n%s", cap_text(&c));
	cap_close(&c);
}

/* A FWD_GET dump entry, or FWD_ADD's reply. */
static struct nlmsghdr *fwd_msg(void *buf, int which)
{
	struct nlmsghdr *nlh = unat_msg_start(buf, 0x20, UNAT_CMD_FWD_GET,
					      NLM_F_MULTI);
	struct nlattr *n;

	mnl_attr_put_u32(nlh, UNAT_A_FWD_IFINDEX, 5);
	switch (which) {
	case 0:		/* every address, one port */
		mnl_attr_put_u8(nlh, UNAT_A_FWD_PROTO, IPPROTO_TCP);
		put_ep4(nlh, UNAT_A_FWD_HOST, "0.0.0.0", 8080);
		mnl_attr_put_u16(nlh, UNAT_A_FWD_GUEST_PORT, 80);
		mnl_attr_put_u16(nlh, UNAT_A_FWD_COUNT, 1);
		mnl_attr_put_u32(nlh, UNAT_A_FWD_FLAGS, 0);
		break;
	case 1:		/* a range, the gateway as the source */
		mnl_attr_put_u8(nlh, UNAT_A_FWD_PROTO, IPPROTO_UDP);
		put_ep4(nlh, UNAT_A_FWD_HOST, "192.0.2.1", 8000);
		mnl_attr_put_u16(nlh, UNAT_A_FWD_GUEST_PORT, 9000);
		mnl_attr_put_u16(nlh, UNAT_A_FWD_COUNT, 10);
		mnl_attr_put_u32(nlh, UNAT_A_FWD_FLAGS,
				 UNAT_FWD_F_GATEWAY_SOURCE | 0x100);
		break;
	default:	/* no address, the defaults, an unknown protocol */
		mnl_attr_put_u8(nlh, UNAT_A_FWD_PROTO, 132);
		n = mnl_attr_nest_start(nlh, UNAT_A_FWD_HOST);
		mnl_attr_put_u16(nlh, UNAT_A_ENDPOINT_PORT, 7);
		mnl_attr_nest_end(nlh, n);
		mnl_attr_put_u32(nlh, UNAT_A_FWD_COUNT, 3);	/* malformed */
		break;
	}
	return nlh;
}

/* IPv6 forwards: every address, and one address with a range. */
static struct nlmsghdr *fwd6_msg(void *buf, int which)
{
	struct nlmsghdr *nlh = unat_msg_start(buf, 0x20, UNAT_CMD_FWD_GET,
					      NLM_F_MULTI);

	mnl_attr_put_u32(nlh, UNAT_A_FWD_IFINDEX, 5);
	if (!which) {
		mnl_attr_put_u8(nlh, UNAT_A_FWD_PROTO, IPPROTO_TCP);
		put_ep6(nlh, UNAT_A_FWD_HOST, "::", 8080);
		mnl_attr_put_u16(nlh, UNAT_A_FWD_GUEST_PORT, 80);
		mnl_attr_put_u16(nlh, UNAT_A_FWD_COUNT, 1);
		mnl_attr_put_u32(nlh, UNAT_A_FWD_FLAGS, 0);
	} else {
		mnl_attr_put_u8(nlh, UNAT_A_FWD_PROTO, IPPROTO_UDP);
		put_ep6(nlh, UNAT_A_FWD_HOST, "2001:db8::1", 8000);
		mnl_attr_put_u16(nlh, UNAT_A_FWD_GUEST_PORT, 9000);
		mnl_attr_put_u16(nlh, UNAT_A_FWD_COUNT, 10);
		mnl_attr_put_u32(nlh, UNAT_A_FWD_FLAGS,
				 UNAT_FWD_F_GATEWAY_SOURCE);
	}
	return nlh;
}

static void test_print_fwd6(void)
{
	char buf[UNAT_REQ_SIZE], fbuf[UNAT_REQ_SIZE];
	struct unat_out out;
	struct capture c;

	print_msgs(&c, unat_print_fwd, fwd6_msg, 2, false, false);
	CHECK_STR(cap_text(&c),
		  "tcp [::]:8080 -> 80 source client\n"
		  "udp [2001:db8::1]:8000-8009 -> 9000-9009 source gateway\n");
	cap_close(&c);

	print_msgs(&c, unat_print_fwd, fwd6_msg, 2, true, false);
	CHECK_STR(cap_text(&c),
		  "[{\"proto\":\"tcp\",\"host\":\"::\",\"port\":8080,"
		  "\"guest_port\":80,\"count\":1,\"source\":\"client\"},"
		  "{\"proto\":\"udp\",\"host\":\"2001:db8::1\",\"port\":8000,"
		  "\"guest_port\":9000,\"count\":10,\"source\":\"gateway\"}]\n");
	cap_close(&c);

	/* `show`: in the device's block, after an IPv4 forward */
	unat_out_begin(&out, cap_open(&c), false, false, false);
	unat_print_dev_open(dev_msg(buf), &out);
	unat_print_fwd(fwd_msg(fbuf, 0), &out);
	unat_print_fwd(fwd6_msg(fbuf, 0), &out);
	unat_print_dev_close(&out, true);
	unat_out_end(&out, true);
	CHECK(strstr(cap_text(&c), "    forwards:\n"
		     "        tcp 0.0.0.0:8080 -> 80 source client\n"
		     "        tcp [::]:8080 -> 80 source client\n"),
	      "show text:\n%s", cap_text(&c));
	cap_close(&c);

	/* fwd add -j: the one object */
	unat_out_begin(&out, cap_open(&c), true, false, false);
	out.single = true;
	unat_print_fwd(fwd6_msg(buf, 1), &out);
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c),
		  "{\"proto\":\"udp\",\"host\":\"2001:db8::1\",\"port\":8000,"
		  "\"guest_port\":9000,\"count\":10,\"source\":\"gateway\"}\n");
	cap_close(&c);
}

static void test_print_fwd(void)
{
	char buf[UNAT_REQ_SIZE];
	unsigned int malformed;
	struct unat_out out;
	struct capture c;

	malformed = unat_malformed;
	print_msgs(&c, unat_print_fwd, fwd_msg, 3, false, false);
	CHECK_STR(cap_text(&c),
		  "tcp 0.0.0.0:8080 -> 80 source client\n"
		  "udp 192.0.2.1:8000-8009 -> 9000-9009 source gateway\n"
		  "132 0.0.0.0:7 -> 7 source client\n");
	cap_close(&c);
	CHECK(unat_malformed == malformed + 1, "the u32 count is malformed");

	print_msgs(&c, unat_print_fwd, fwd_msg, 3, true, false);
	CHECK_STR(cap_text(&c),
		  "[{\"proto\":\"tcp\",\"host\":\"0.0.0.0\",\"port\":8080,"
		  "\"guest_port\":80,\"count\":1,\"source\":\"client\"},"
		  "{\"proto\":\"udp\",\"host\":\"192.0.2.1\",\"port\":8000,"
		  "\"guest_port\":9000,\"count\":10,\"source\":\"gateway\"},"
		  "{\"proto\":132,\"host\":\"0.0.0.0\",\"port\":7,"
		  "\"guest_port\":7,\"count\":1,\"source\":\"client\"}]\n");
	cap_close(&c);

	/* no forward: nothing, or [] */
	unat_out_begin(&out, cap_open(&c), false, false, false);
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c), "");
	cap_close(&c);
	unat_out_begin(&out, cap_open(&c), true, false, false);
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c), "[]\n");
	cap_close(&c);

	/* fwd add: the one forward made, a JSON object */
	unat_out_begin(&out, cap_open(&c), false, false, false);
	out.single = true;
	unat_print_fwd(fwd_msg(buf, 1), &out);
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c),
		  "udp 192.0.2.1:8000-8009 -> 9000-9009 source gateway\n");
	cap_close(&c);
	unat_out_begin(&out, cap_open(&c), true, false, false);
	out.single = true;
	unat_print_fwd(fwd_msg(buf, 0), &out);
	unat_print_fwd(fwd_msg(buf, 1), &out);	/* ignored */
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c),
		  "{\"proto\":\"tcp\",\"host\":\"0.0.0.0\",\"port\":8080,"
		  "\"guest_port\":80,\"count\":1,\"source\":\"client\"}\n");
	cap_close(&c);
	unat_out_begin(&out, cap_open(&c), true, true, false);
	out.single = true;
	unat_print_fwd(fwd_msg(buf, 0), &out);
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c),
		  "{\n  \"proto\": \"tcp\",\n  \"host\": \"0.0.0.0\",\n"
		  "  \"port\": 8080,\n  \"guest_port\": 80,\n  \"count\": 1,\n"
		  "  \"source\": \"client\"\n}\n");
	cap_close(&c);
	/* no reply, or a failure: nothing */
	unat_out_begin(&out, cap_open(&c), true, false, false);
	out.single = true;
	unat_out_end(&out, true);
	CHECK_STR(cap_text(&c), "");
	cap_close(&c);
}

/* `show`: a device, then its forwards in a block. */
static void test_print_dev_fwd(void)
{
	char buf[UNAT_REQ_SIZE], fbuf[UNAT_REQ_SIZE];
	struct unat_out out;
	struct capture c;
	const char *t;

	unat_out_begin(&out, cap_open(&c), false, false, false);
	unat_print_dev_open(dev_msg(buf), &out);
	CHECK(out.in_dev && out.ifindex == 5 && !strcmp(out.ifname, "unat0"),
	      "the device open");
	unat_print_fwd(fwd_msg(fbuf, 0), &out);
	unat_print_fwd(fwd_msg(fbuf, 1), &out);
	unat_print_dev_close(&out, true);
	unat_print_dev_open(dev_msg2(buf), &out);
	unat_print_dev_close(&out, true);
	unat_out_end(&out, true);
	t = cap_text(&c);
	CHECK(strstr(t, "    counters: arp_replies 2 dhcp_offers 1\n"
		     "    forwards:\n"
		     "        tcp 0.0.0.0:8080 -> 80 source client\n"
		     "        udp 192.0.2.1:8000-8009 -> 9000-9009 source gateway\n"
		     "u\"1\n: hostloop off"), "text:\n%s", t);
	CHECK(!strstr(strstr(t, "u\"1"), "forwards"), "none: no block:\n%s",
	      t);
	CHECK(out.count == 2, "two devices");
	cap_close(&c);

	unat_out_begin(&out, cap_open(&c), true, false, false);
	unat_print_dev_open(dev_msg(buf), &out);
	unat_print_fwd(fwd_msg(fbuf, 0), &out);
	unat_print_dev_close(&out, true);
	unat_print_dev_open(dev_msg(buf), &out);
	unat_print_dev_close(&out, true);		/* none */
	unat_print_dev_open(dev_msg(buf), &out);
	unat_print_dev_close(&out, false);		/* not read */
	unat_print_dev_open(dev_msg(buf), &out);
	unat_print_fwd(fwd_msg(fbuf, 1), &out);
	unat_print_dev_close(&out, false);		/* failed midway */
	unat_out_end(&out, true);
	t = cap_text(&c);
	CHECK(strstr(t, "\"drop_malformed\":0},\"forwards\":[{\"proto\":\"tcp\","
		     "\"host\":\"0.0.0.0\",\"port\":8080,\"guest_port\":80,"
		     "\"count\":1,\"source\":\"client\"}]},{\"ifname\""),
	      "json forwards:\n%s", t);
	CHECK(strstr(t, "\"drop_malformed\":0},\"forwards\":[]},{\"ifname\""),
	      "json no forwards:\n%s", t);
	CHECK(strstr(t, "\"drop_malformed\":0}},{\"ifname\""),
	      "json forwards not read:\n%s", t);
	CHECK(strstr(t, "\"source\":\"gateway\"}]}]\n"),
	      "json forwards failed midway:\n%s", t);
	cap_close(&c);

	unat_out_begin(&out, cap_open(&c), true, true, false);
	unat_print_dev_open(dev_msg(buf), &out);
	unat_print_fwd(fwd_msg(fbuf, 0), &out);
	unat_print_dev_close(&out, true);
	unat_out_end(&out, true);
	t = cap_text(&c);
	CHECK(strstr(t, "      \"drop_malformed\": 0\n"
		     "    },\n"
		     "    \"forwards\": [\n"
		     "      {\n"
		     "        \"proto\": \"tcp\",\n"
		     "        \"host\": \"0.0.0.0\",\n"
		     "        \"port\": 8080,\n"
		     "        \"guest_port\": 80,\n"
		     "        \"count\": 1,\n"
		     "        \"source\": \"client\"\n"
		     "      }\n"
		     "    ]\n"
		     "  }\n"
		     "]\n"), "pretty:\n%s", t);
	cap_close(&c);
}

/* --- extended acks ---------------------------------------------------------- */

/* An NLMSG_ERROR (or DONE) answering req, with the TLVs put() adds. */
static struct nlmsghdr *ack_start(void *buf, const struct nlmsghdr *req,
				  uint16_t type, int err, bool capped)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	nlh->nlmsg_seq = req->nlmsg_seq;
	if (type == NLMSG_DONE) {
		int *e = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

		*e = err;
	} else if (capped) {
		struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

		nlh->nlmsg_flags |= NLM_F_CAPPED;
		e->error = err;
		e->msg = *req;
	} else {
		struct nlmsgerr *e;

		e = mnl_nlmsg_put_extra_header(nlh, sizeof(int) + req->nlmsg_len);
		e->error = err;
		memcpy(&e->msg, req, req->nlmsg_len);
	}
	return nlh;
}

static uint32_t offset_of(const struct nlmsghdr *req, const struct nlattr *a)
{
	return (const char *)a - (const char *)req;
}

static void test_extack(void)
{
	char rbuf[UNAT_REQ_SIZE], abuf[UNAT_REQ_SIZE], msg[512];
	const struct nlattr *dns, *s1, *port, *timeout;
	struct unat_set_req req;
	struct nlmsghdr *r, *nlh;
	struct nlattr *pol;

	CHECK(!SET(&req, "unat0", "dns", "192.0.2.1", "[2001:db8::1]:53",
		   "udp-timeout", "0"), "extack request");
	r = unat_msg_start(rbuf, 0x20, UNAT_CMD_DEV_SET, NLM_F_ACK);
	unat_put_set(r, &req);
	r->nlmsg_seq = 7;
	dns = msg_attr(r, UNAT_A_DEV_DNS);
	s1 = nest_attr(dns, UNAT_A_DNS_SERVER, 1);
	port = nest_attr(s1, UNAT_A_ENDPOINT_PORT, 0);
	timeout = msg_attr(r, UNAT_A_DEV_UDP_TIMEOUT);

	/* a range check, as the policy reports it */
	nlh = ack_start(abuf, r, NLMSG_ERROR, -ERANGE, true);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "integer out of range");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offset_of(r, timeout));
	pol = mnl_attr_nest_start(nlh, NLMSGERR_ATTR_POLICY);
	mnl_attr_put_u32(nlh, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 1);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 86400);
	mnl_attr_nest_end(nlh, pol);
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "integer out of range (attribute udp-timeout, valid range 1-86400)");

	/* nested, the whole request echoed, a policy saying nothing */
	nlh = ack_start(abuf, r, NLMSG_ERROR, -EINVAL, false);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "port not allowed");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offset_of(r, port));
	pol = mnl_attr_nest_start(nlh, NLMSGERR_ATTR_POLICY);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, UINT16_MAX);
	mnl_attr_nest_end(nlh, pol);
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "port not allowed (attribute dns.server.port)");

	/* missing attributes, at the top and in a nest */
	nlh = ack_start(abuf, r, NLMSG_ERROR, -EINVAL, true);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, UNAT_A_DEV_IFINDEX);
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "missing attribute ifindex");
	nlh = ack_start(abuf, r, NLMSG_ERROR, -EINVAL, true);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, UNAT_A_ENDPOINT_PORT);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_NEST, offset_of(r, s1));
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "missing attribute dns.server.port");

	/* an offset that names no attribute, an unknown type */
	nlh = ack_start(abuf, r, NLMSG_ERROR, -EINVAL, true);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "odd");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offset_of(r, timeout) + 2);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, 99);
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "odd (missing attribute #99)");

	/* the end of a dump */
	nlh = ack_start(abuf, r, NLMSG_DONE, -ENODEV, true);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "no unat device unat9");
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "no unat device unat9");

	/* no TLVs at all */
	nlh = ack_start(abuf, r, NLMSG_ERROR, -EPERM, true);
	nlh->nlmsg_flags = NLM_F_CAPPED;
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "");
}

static void test_extack_fwd(void)
{
	char rbuf[UNAT_REQ_SIZE], abuf[UNAT_REQ_SIZE], msg[512];
	const struct nlattr *host, *port, *count;
	struct unat_fwd_req req;
	struct nlmsghdr *r, *nlh;
	struct nlattr *pol;

	CHECK(!FWD_ADD(&req, "unat0", "tcp:127.0.0.1:8000-8009:9000"),
	      "fwd extack request");
	r = unat_msg_start(rbuf, 0x20, UNAT_CMD_FWD_ADD, NLM_F_ACK);
	unat_put_fwd(r, &req, false);
	r->nlmsg_seq = 9;
	host = msg_attr(r, UNAT_A_FWD_HOST);
	port = nest_attr(host, UNAT_A_ENDPOINT_PORT, 0);
	count = msg_attr(r, UNAT_A_FWD_COUNT);

	nlh = ack_start(abuf, r, NLMSG_ERROR, -EADDRINUSE, true);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "host port in use");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offset_of(r, port));
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "host port in use (attribute host.port)");

	nlh = ack_start(abuf, r, NLMSG_ERROR, -ERANGE, false);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "integer out of range");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offset_of(r, count));
	pol = mnl_attr_nest_start(nlh, NLMSGERR_ATTR_POLICY);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 1);
	mnl_attr_put_u64(nlh, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 1024);
	mnl_attr_nest_end(nlh, pol);
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "integer out of range (attribute count, valid range 1-1024)");

	nlh = ack_start(abuf, r, NLMSG_ERROR, -EINVAL, true);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, UNAT_A_FWD_GUEST_PORT);
	unat_extack_str(r, nlh, msg, sizeof(msg));
	CHECK_STR(msg, "missing attribute guest-port");
}

/* --- JSON -------------------------------------------------------------------- */

static void test_json(void)
{
	struct capture c;
	struct json j;

	json_init(&j, cap_open(&c), false);
	json_obj_open(&j);
	json_kv_str(&j, "s", "a\"b\\c\n\t\x01/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	json_kv_str(&j, "bad", "\xff\xc3(\xe0\x80\x80\xed\xa0\x80");
	json_kv_str(&j, "null", NULL);
	json_key(&j, "empty");
	json_arr_open(&j);
	json_arr_close(&j);
	json_key(&j, "o");
	json_obj_open(&j);
	json_obj_close(&j);
	json_key(&j, "a");
	json_arr_open(&j);
	json_u64(&j, 0);
	json_bool(&j, false);
	json_null(&j);
	json_obj_open(&j);
	json_kv_u64(&j, "max", UINT64_MAX);
	json_obj_close(&j);
	json_arr_close(&j);
	json_obj_close(&j);
	json_end(&j);
	CHECK_STR(cap_text(&c),
		  "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
		  "\"bad\":\"\\u00ff\\u00c3(\\u00e0\\u0080\\u0080\\u00ed\\u00a0\\u0080\","
		  "\"null\":null,\"empty\":[],\"o\":{},"
		  "\"a\":[0,false,null,{\"max\":18446744073709551615}]}\n");
	cap_close(&c);

	json_init(&j, cap_open(&c), true);
	json_obj_open(&j);
	json_key(&j, "a");
	json_arr_open(&j);
	json_u64(&j, 1);
	json_arr_open(&j);
	json_arr_close(&j);
	json_arr_close(&j);
	json_kv_bool(&j, "b", true);
	json_obj_close(&j);
	json_end(&j);
	CHECK_STR(cap_text(&c),
		  "{\n  \"a\": [\n    1,\n    []\n  ],\n  \"b\": true\n}\n");
	cap_close(&c);
}

/* --- unat vm ------------------------------------------------------------- */

static int parse_vm(struct unat_vm_req *req, int argc, ...)
{
	static char *argv[16];
	va_list ap;
	int i;

	va_start(ap, argc);
	for (i = 0; i < argc && i < 16; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	err_reset();
	return unat_parse_vm(argc, argv, req);
}

static void test_vm_parse(void)
{
	struct unat_vm_req req;

	CHECK(parse_vm(&req, 1, "unat0") == 0, "plain");
	CHECK(req.queues == 1 && req.offload && !req.vhost && !req.keep &&
	      !req.has_mac && !req.name && !req.cmd, "defaults");
	CHECK(parse_vm(&req, 13, "unat0", "name", "vm1", "mac",
		       "52:54:00:AB:cd:01", "queues", "4", "vhost", "on",
		       "offload", "off", "keep", "--") == UNAT_EXIT_USAGE,
	      "-- without a command");
	CHECK_STR(err_text(), "unat: '--' must be followed by a command\n");
	CHECK(parse_vm(&req, 15, "unat0", "name", "vm1", "mac",
		       "52:54:00:AB:cd:01", "queues", "4", "vhost", "on",
		       "offload", "off", "keep", "--", "qemu", "-m") == 0,
	      "everything");
	CHECK(!strcmp(req.name, "vm1") && req.has_mac && req.mac[3] == 0xab &&
	      req.mac[5] == 1 && req.queues == 4 && req.vhost &&
	      !req.offload && req.keep && req.cmd_argc == 2 &&
	      !strcmp(req.cmd[0], "qemu") && !strcmp(req.cmd[1], "-m"),
	      "everything parsed");
	/* options after "--" belong to the command */
	CHECK(parse_vm(&req, 4, "unat0", "--", "qemu", "keep") == 0 &&
	      !req.keep && req.cmd_argc == 2, "after --");

	CHECK(parse_vm(&req, 0) == UNAT_EXIT_USAGE, "no device");
	CHECK_STR(err_text(), "unat: 'vm' needs a unat device\n");
	CHECK(parse_vm(&req, 3, "unat0", "queues", "17") == UNAT_EXIT_USAGE,
	      "17 queues");
	CHECK_STR(err_text(), "unat: queues must be 1-16\n");
	CHECK(parse_vm(&req, 3, "unat0", "queues", "0") == UNAT_EXIT_USAGE,
	      "0 queues");
	CHECK(parse_vm(&req, 3, "unat0", "mac", "01:00:5e:00:00:01") ==
	      UNAT_EXIT_USAGE, "multicast MAC");
	CHECK_STR(err_text(),
		  "unat: invalid MAC address '01:00:5e:00:00:01': a multicast address\n");
	CHECK(parse_vm(&req, 3, "unat0", "mac", "52:54:00:12:34") ==
	      UNAT_EXIT_USAGE, "short MAC");
	CHECK(parse_vm(&req, 3, "unat0", "mac", "52:54:00:12:34:56:78") ==
	      UNAT_EXIT_USAGE, "long MAC");
	CHECK(parse_vm(&req, 3, "unat0", "mac", "00:00:00:00:00:00") ==
	      UNAT_EXIT_USAGE, "zero MAC");
	CHECK(parse_vm(&req, 3, "unat0", "vhost", "yes") == UNAT_EXIT_USAGE,
	      "vhost yes");
	CHECK(parse_vm(&req, 2, "unat0", "queues") == UNAT_EXIT_USAGE,
	      "no value");
	CHECK_STR(err_text(), "unat: 'queues' needs a value\n");
	CHECK(parse_vm(&req, 3, "unat0", "frob", "1") == UNAT_EXIT_USAGE,
	      "unknown");
	CHECK_STR(err_text(), "unat: unknown vm option 'frob'\n");
	CHECK(parse_vm(&req, 3, "unat0", "name", "abcdefghijklmnopq") ==
	      UNAT_EXIT_USAGE, "long name");
}

static void test_vm_qemu_args(void)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	int tap[3] = { 3, 4, 5 }, vhost[3] = { 6, 7, 8 };
	struct unat_vm_req req;
	char netdev[512], device[512];

	parse_vm(&req, 1, "unat0");
	unat_vm_qemu_args(&req, "unat0-vm0", mac, tap, NULL, netdev, device,
			  sizeof(netdev));
	CHECK_STR(netdev, "tap,id=net-unat0-vm0,fd=3");
	CHECK_STR(device,
		  "virtio-net-pci,netdev=net-unat0-vm0,mac=52:54:00:12:34:56");

	parse_vm(&req, 5, "unat0", "queues", "3", "vhost", "on");
	unat_vm_qemu_args(&req, "v@m:1", mac, tap, vhost, netdev, device,
			  sizeof(netdev));
	CHECK_STR(netdev, "tap,id=net-v_m_1,fds=3:4:5,vhost=on,vhostfds=6:7:8");
	CHECK_STR(device,
		  "virtio-net-pci,netdev=net-v_m_1,mac=52:54:00:12:34:56,mq=on,vectors=8");
	/* printed for a shell: QEMU opens /dev/vhost-net itself */
	unat_vm_qemu_args(&req, "vm", mac, tap, NULL, netdev, device,
			  sizeof(netdev));
	CHECK_STR(netdev, "tap,id=net-vm,fds=3:4:5,vhost=on");

	parse_vm(&req, 3, "unat0", "offload", "off");
	unat_vm_qemu_args(&req, "vm", mac, tap, NULL, netdev, device,
			  sizeof(netdev));
	CHECK_STR(device,
		  "virtio-net-pci,netdev=net-vm,mac=52:54:00:12:34:56,csum=off,gso=off,guest_csum=off,guest_tso4=off,guest_tso6=off,guest_ecn=off,guest_ufo=off,host_tso4=off,host_tso6=off,host_ecn=off,host_ufo=off");
}

int main(void)
{
	test_endpoint();
	test_numbers();
	test_resolv_conf();
	test_set_request();
	test_set_resolv_conf();
	test_set_errors();
	test_fwd_parse();
	test_fwd_parse6();
	test_fwd_args();
	test_fwd_request();
	test_fwd_request6();
	test_print_dev();
	test_print_flows();
	test_print_fwd_flow();
	test_print_fwd();
	test_print_fwd6();
	test_print_dev_fwd();
	test_extack();
	test_extack_fwd();
	test_json();
	test_vm_parse();
	test_vm_qemu_args();

	fclose(unat_errf);
	free(err_buf);
	printf("unat-test: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}

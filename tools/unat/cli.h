/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unat(8): the control tool of unat devices, over the generic netlink
 * family "unat" (include/uapi/linux/unat.h, docs/netlink/unat.yaml).
 *
 *   main.c   options, commands, usage
 *   args.c   command line parsing: addresses, numbers, resolv.conf, `set`,
 *            `fwd`
 *   nl.c     the netlink socket: family lookup, requests, dumps, errors
 *   print.c  devices, flows and forwards as text and JSON
 *   vm.c     `unat vm`: a macvtap and QEMU's arguments for it
 *   json.c   a small JSON writer
 *   test.c   unit tests of all but the socket (make test)
 */
#ifndef UNAT_CLI_H
#define UNAT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/unat.h>
#include <libmnl/libmnl.h>

#include "fwdspec.h"
#include "json.h"

#define UNAT_TOOL_VERSION	"0.1.0"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Exit statuses: 0 success, 1 failure (kernel, files), 2 usage errors. */
#define UNAT_EXIT_FAIL		1
#define UNAT_EXIT_USAGE		2

#define UNAT_DNS_PORT		53
#define UNAT_RESOLV_CONF	"/etc/resolv.conf"

/* Where diagnostics go: stderr, or a memory stream in the unit tests. */
extern FILE *unat_errf;


/* An address and a port, as in UNAT_A_ENDPOINT_*. */
struct unat_endpoint {
	int family;			/* AF_INET, AF_INET6; 0: none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t port;			/* 0: not given */
};

/* "[" IPv6 "]:" port NUL */
#define UNAT_ENDPOINT_STRLEN	(INET6_ADDRSTRLEN + 8)

const char *unat_endpoint_str(const struct unat_endpoint *ep, char *buf,
			      size_t len);

/* args.c: each returns 0, or -1 after saying what is wrong. */
int unat_parse_u32(const char *s, const char *what, uint32_t *val);
int unat_parse_onoff(const char *s, const char *what, bool *val);
int unat_parse_endpoint(const char *s, uint16_t default_port,
			struct unat_endpoint *ep);
int unat_parse_ifname(const char *s);
int unat_read_resolv_conf(const char *path, struct unat_endpoint *eps,
			  int max);

/* What `unat set DEV ...` changes. */
struct unat_set_req {
	const char *ifname;
	bool has_dns;
	int n_dns;
	struct unat_endpoint dns[UNAT_MAX_DNS_UPSTREAMS];
	bool has_udp_timeout;
	uint32_t udp_timeout;
	bool has_tcp_timeout;
	uint32_t tcp_timeout;
	bool has_flow_limit;
	uint32_t flow_limit;
	bool has_connect_limit;
	uint32_t connect_limit;
	bool has_port_share;
	uint8_t port_share;
	bool has_queue_limit;
	uint32_t queue_limit;
	bool has_hostloop;
	bool hostloop;
	bool has_restrict;
	bool restricted;
	const char *domain;		/* NULL: unchanged, "": remove */
	const char *search;
};

/* argv[0] is DEV. Returns 0, UNAT_EXIT_USAGE or UNAT_EXIT_FAIL. */
int unat_parse_set(int argc, char **argv, struct unat_set_req *req);

/* What `unat fwd add|del DEV SPEC ...` asks. */
struct unat_fwd_req {
	const char *ifname;
	struct unat_fwd_spec spec;
	uint32_t flags;		/* UNAT_FWD_F_* */
};

/*
 * argv[0] is DEV; del: the forward is named by SPEC's protocol, host
 * address and first host port. Returns 0 or UNAT_EXIT_USAGE.
 */
int unat_parse_fwd_req(int argc, char **argv, bool del,
		       struct unat_fwd_req *req);

/* Message building (nl.c). */
struct nlmsghdr *unat_msg_start(void *buf, uint16_t type, uint8_t cmd,
				uint16_t flags);
void unat_put_endpoint(struct nlmsghdr *nlh, uint16_t type,
		       const struct unat_endpoint *ep);
void unat_put_set(struct nlmsghdr *nlh, const struct unat_set_req *req);
/* FWD_ADD's attributes, or with del only those naming the forward */
void unat_put_fwd(struct nlmsghdr *nlh, const struct unat_fwd_req *req,
		  bool del);

/* A request buffer: every request unat sends is far smaller. */
#define UNAT_REQ_SIZE		4096
/* Dumps: the kernel fills up to 32 KiB per read when the buffer allows. */
#define UNAT_RECV_SIZE		65536

struct unat_nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t portid;
	uint32_t seq;
	bool dump_intr;		/* a dump was interrupted by a change */
	char errmsg[512];	/* the kernel's extended ack, decoded */
	void *buf;		/* UNAT_RECV_SIZE */
};

typedef int (*unat_msg_cb)(const struct nlmsghdr *nlh, void *data);

int unat_nl_open(struct unat_nl *nl);
void unat_nl_close(struct unat_nl *nl);
int unat_nl_talk(struct unat_nl *nl, struct nlmsghdr *req, unat_msg_cb cb,
		 void *data);
void unat_nl_report(const struct unat_nl *nl, int err, const char *what);
void unat_extack_str(const struct nlmsghdr *req, const struct nlmsghdr *nlh,
		     char *buf, size_t len);

/* print.c: output of devices (show), flows or forwards, text or JSON */
struct unat_out {
	FILE *f;
	bool json;
	bool flows;
	bool single;		/* one JSON object, not an array (fwd add);
				 * set after unat_out_begin()
				 */
	bool started;		/* the header or "[" is out */
	struct json j;
	int count;
	/* the device unat_print_dev_open() left open, for its forwards */
	bool in_dev;
	bool fwd_started;	/* its "forwards" block is out */
	uint32_t ifindex;	/* 0: unknown */
	char ifname[IF_NAMESIZE];
};

void unat_out_begin(struct unat_out *out, FILE *f, bool json, bool pretty,
		    bool flows);
void unat_out_end(struct unat_out *out, bool ok);
int unat_print_dev(const struct nlmsghdr *nlh, void *out);
int unat_print_flow(const struct nlmsghdr *nlh, void *out);
/*
 * unat_print_dev() in two halves: the forwards unat_print_fwd() prints
 * between them go in the device's "forwards" block. fwd_ok: they were all
 * read, so an empty block is printed in JSON (none at all when not).
 */
int unat_print_dev_open(const struct nlmsghdr *nlh, void *out);
void unat_print_dev_close(struct unat_out *out, bool fwd_ok);
/* FWD_GET dump entries and FWD_ADD's reply: one forward each */
int unat_print_fwd(const struct nlmsghdr *nlh, void *out);

/* vm.c: `unat vm DEV [OPTION...] [-- COMMAND [ARG...]]` */
#define UNAT_VM_MAX_QUEUES	16
/* The first descriptor a printed QEMU fragment opens the tap on. */
#define UNAT_VM_FIRST_FD	3

struct unat_vm_req {
	const char *dev;	/* the unat device */
	const char *name;	/* the macvtap's; NULL: DEV-vmN */
	uint8_t mac[6];
	bool has_mac;		/* else 52:54:00 and three random bytes */
	uint32_t queues;	/* 1-UNAT_VM_MAX_QUEUES */
	bool vhost;
	bool offload;		/* false: every virtio-net offload off */
	bool keep;		/* the macvtap outlives COMMAND */
	char **cmd;		/* NULL: print QEMU's arguments */
	int cmd_argc;
};

int unat_parse_vm(int argc, char **argv, struct unat_vm_req *req);
void unat_vm_qemu_args(const struct unat_vm_req *req, const char *ifname,
		       const uint8_t mac[6], const int *tapfds,
		       const int *vhostfds, char *netdev, char *device,
		       size_t len);
int unat_cmd_vm(const struct unat_vm_req *req);

/* Attributes of the kernel's replies that had the wrong size, ignored. */
extern unsigned int unat_malformed;

#endif /* UNAT_CLI_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * unat(8): show and change unat devices, list their flows, add and
 * remove their port forwards.
 *
 *   unat [-j] [-p] show [DEV]
 *   unat [-j] [-p] flows DEV
 *   unat set DEV SETTING...
 *   unat [-j] [-p] fwd add DEV SPEC [source client|gateway]
 *   unat fwd del DEV SPEC
 *   unat [-j] [-p] fwd list DEV
 *   unat vm DEV [OPTION...] [-- COMMAND [ARG...]]
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct opts {
	bool json;
	bool pretty;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: unat [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  show [DEV]                 settings, DNS servers, counters and\n"
		"                             forwards of DEV, or of every unat device\n"
		"  flows DEV                  the flows of DEV\n"
		"  set DEV SETTING...         change DEV (needs CAP_NET_ADMIN); SETTING is:\n"
		"    dns ADDR[:PORT]...         upstream DNS servers, at most %d\n"
		"                               (IPv6: [ADDR]:PORT or ADDR; port 53 if none)\n"
		"    dns none                   no upstream DNS server\n"
		"    dns resolv-conf [FILE]     the nameservers of FILE (%s)\n"
		"    udp-timeout SECONDS        how long an idle UDP flow lives (%d-%d)\n"
		"    tcp-timeout SECONDS        how long an idle established TCP flow\n"
		"                               lives (%d-%d)\n"
		"    flow-limit N               most flows at once (at most %d)\n"
		"    connect-limit N            most guest TCP connects not yet\n"
		"                               established (default %d)\n"
		"    port-share PERCENT         most of ip_local_port_range the flows'\n"
		"                               sockets hold (1-100, default %d%%)\n"
		"    queue-limit SIZE           most bytes of guest frames held for flows\n"
		"                               whose socket is busy (256K-1G, default\n"
		"                               %dM; K, M or G: binary multiples)\n"
		"    hostloop on|off            the gateway address reaches the host's loopback\n"
		"    restrict on|off            the guest reaches only the gateway's services\n"
		"    domain NAME                the DNS domain DHCP gives (\"\" for none)\n"
		"    search \"NAME...\"           the search list DHCP gives (\"\" for none)\n"
		"  fwd add DEV SPEC [source client|gateway]\n"
		"                             forward host ports to the guest (needs\n"
		"                             CAP_NET_ADMIN); print the forward made\n"
		"    SPEC: PROTO:[ADDR:]HPORT[-HEND][:GPORT[-GEND]]\n"
		"                               tcp or udp; the host address, A.B.C.D\n"
		"                               or [ADDR6] (every IPv4 address if none,\n"
		"                               [::] for every IPv6 one); host ports\n"
		"                               (0: the kernel picks one); guest ports\n"
		"                               (the host's if none); at most %d ports.\n"
		"                               E.g. tcp:8080:80, udp:5353,\n"
		"                               tcp:127.0.0.1:2222:22, tcp:[::]:8080:80,\n"
		"                               udp:[2001:db8::1]:5353, tcp:8000-8009:9000\n"
		"    source client|gateway      the guest sees the client's address\n"
		"                               (client, the default) or the gateway's\n"
		"  fwd del DEV SPEC           remove the forward that SPEC's protocol,\n"
		"                             host address and first host port name\n"
		"  fwd list DEV               the port forwards of DEV\n"
		"  vm DEV [OPTION...] [-- COMMAND [ARG...]]\n"
		"                             put a QEMU VM on DEV: create a macvtap on it\n"
		"                             and run COMMAND (QEMU) with the -netdev and\n"
		"                             -device arguments for it appended; the\n"
		"                             macvtap goes when COMMAND ends. Without\n"
		"                             COMMAND, print them for a shell. OPTION is:\n"
		"    name IFNAME                the macvtap's name (DEV-vmN)\n"
		"    mac MAC                    the VM's MAC (52:54:00:xx:xx:xx, random)\n"
		"    queues N                   virtio-net queue pairs (1-%d)\n"
		"    vhost on|off               vhost-net (off)\n"
		"    offload on|off             checksum and segmentation offloads (on)\n"
		"    keep                       keep the macvtap after COMMAND\n"
		"  help                       this text\n"
		"\n"
		"Options:\n"
		"  -j, --json                 JSON output\n"
		"  -p, --pretty               indented JSON output (implies --json)\n"
		"  -h, --help                 this text\n"
		"  -V, --version              the version\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error. See unat(8).\n",
		UNAT_MAX_DNS_UPSTREAMS, UNAT_RESOLV_CONF, UNAT_MIN_UDP_TIMEOUT,
		UNAT_MAX_UDP_TIMEOUT, UNAT_MIN_TCP_TIMEOUT, UNAT_MAX_TCP_TIMEOUT,
		UNAT_MAX_FLOW_LIMIT, UNAT_DEFAULT_CONNECT_LIMIT,
		UNAT_DEFAULT_PORT_SHARE, UNAT_DEFAULT_QUEUE_LIMIT >> 20,
		UNAT_MAX_FWD_PORTS, UNAT_VM_MAX_QUEUES);
}

static int usage_error(void)
{
	fprintf(unat_errf ? unat_errf : stderr, "Try 'unat help'.\n");
	return UNAT_EXIT_USAGE;
}

static int finish(struct unat_nl *nl, struct unat_out *out, int err,
		  const char *what)
{
	int ret = 0;

	if (out)
		unat_out_end(out, !err);
	if (fflush(stdout) || ferror(stdout)) {
		unat_err("cannot write the output");
		ret = UNAT_EXIT_FAIL;
	}
	if (err) {
		unat_nl_report(nl, err, what);
		ret = UNAT_EXIT_FAIL;
	}
	if (nl->dump_intr)
		unat_err("warning: the list changed while it was read; it may be inconsistent");
	if (unat_malformed)
		unat_err("warning: %u malformed attributes in the kernel's answers were ignored",
			 unat_malformed);
	unat_nl_close(nl);
	return ret;
}

/* `show`: each device, then its forwards, read on a second socket. */
struct show_ctx {
	struct unat_out out;
	struct unat_nl fwd;
	bool fwd_open;
	bool no_fwd;		/* a module without forwards, or no socket */
	bool failed;
};

/* The forwards of the device just printed, into its "forwards" block. */
static int show_fwds(struct show_ctx *s)
{
	char req[UNAT_REQ_SIZE], what[64];
	struct nlmsghdr *nlh;
	int err;

	if (s->no_fwd || (!s->out.ifindex && !strcmp(s->out.ifname, "?")))
		return -EOPNOTSUPP;
	if (!s->fwd_open) {
		if (unat_nl_open(&s->fwd)) {
			s->no_fwd = true;
			s->failed = true;
			return -EIO;
		}
		s->fwd_open = true;
	}
	nlh = unat_msg_start(req, s->fwd.family, UNAT_CMD_FWD_GET, NLM_F_DUMP);
	if (s->out.ifindex)
		mnl_attr_put_u32(nlh, UNAT_A_FWD_IFINDEX, s->out.ifindex);
	else
		mnl_attr_put_strz(nlh, UNAT_A_FWD_IFNAME, s->out.ifname);
	err = unat_nl_talk(&s->fwd, nlh, unat_print_fwd, &s->out);
	if (err == -EOPNOTSUPP) {
		s->no_fwd = true;	/* older than forwards: none shown */
	} else if (err && err != -EINVAL) {
		snprintf(what, sizeof(what), "forwards of %s", s->out.ifname);
		unat_nl_report(&s->fwd, err, what);
		s->failed = true;
	}
	return err;
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *s = data;
	int ret;

	ret = unat_print_dev_open(nlh, &s->out);
	unat_print_dev_close(&s->out, !show_fwds(s));
	return ret;
}

static int cmd_show(int argc, char **argv, const struct opts *o)
{
	char req[UNAT_REQ_SIZE], what[64];
	struct show_ctx s = { .fwd_open = false };
	struct nlmsghdr *nlh;
	struct unat_nl nl;
	int err, ret;

	if (argc > 1) {
		unat_err("'show' takes at most one device");
		return usage_error();
	}
	if (argc == 1 && unat_parse_ifname(argv[0]))
		return usage_error();
	if (unat_nl_open(&nl))
		return UNAT_EXIT_FAIL;

	nlh = unat_msg_start(req, nl.family, UNAT_CMD_DEV_GET,
			     argc ? 0 : NLM_F_DUMP);
	if (argc)
		mnl_attr_put_strz(nlh, UNAT_A_DEV_IFNAME, argv[0]);
	snprintf(what, sizeof(what), "show%s%s", argc ? " " : "",
		 argc ? argv[0] : "");

	unat_out_begin(&s.out, stdout, o->json, o->pretty, false);
	err = unat_nl_talk(&nl, nlh, show_cb, &s);
	if (s.fwd_open) {
		nl.dump_intr |= s.fwd.dump_intr;
		unat_nl_close(&s.fwd);
	}
	ret = finish(&nl, &s.out, err, what);
	return ret ? ret : s.failed ? UNAT_EXIT_FAIL : 0;
}

/* A dump about one device: `flows DEV`, `fwd list DEV`. */
struct dev_dump {
	const char *name;	/* the command, as messages name it */
	uint8_t cmd;
	uint16_t ifname_attr;
	mnl_cb_t cb;
	bool table;		/* text output is a table with a header */
};

static int dump_dev(int argc, char **argv, const struct opts *o,
		    const struct dev_dump *d)
{
	char req[UNAT_REQ_SIZE], what[64];
	struct unat_out out;
	struct nlmsghdr *nlh;
	struct unat_nl nl;
	int err;

	if (argc != 1) {
		unat_err("'%s' needs one device", d->name);
		return usage_error();
	}
	if (unat_parse_ifname(argv[0]))
		return usage_error();
	if (unat_nl_open(&nl))
		return UNAT_EXIT_FAIL;

	nlh = unat_msg_start(req, nl.family, d->cmd, NLM_F_DUMP);
	mnl_attr_put_strz(nlh, d->ifname_attr, argv[0]);
	snprintf(what, sizeof(what), "%s %s", d->name, argv[0]);

	unat_out_begin(&out, stdout, o->json, o->pretty, d->table);
	err = unat_nl_talk(&nl, nlh, d->cb, &out);
	return finish(&nl, &out, err, what);
}

static int cmd_flows(int argc, char **argv, const struct opts *o)
{
	static const struct dev_dump d = {
		"flows", UNAT_CMD_FLOW_GET, UNAT_A_FLOW_IFNAME,
		unat_print_flow, true,
	};

	return dump_dev(argc, argv, o, &d);
}

static int cmd_set(int argc, char **argv)
{
	char req[UNAT_REQ_SIZE], what[64];
	struct unat_set_req set;
	struct nlmsghdr *nlh;
	struct unat_nl nl;
	int ret, err;

	/* every argument is checked before the kernel is asked anything */
	ret = unat_parse_set(argc, argv, &set);
	if (ret == UNAT_EXIT_USAGE)
		return usage_error();
	if (ret)
		return ret;
	if (unat_nl_open(&nl))
		return UNAT_EXIT_FAIL;

	nlh = unat_msg_start(req, nl.family, UNAT_CMD_DEV_SET, 0);
	unat_put_set(nlh, &set);
	snprintf(what, sizeof(what), "set %s", set.ifname);

	err = unat_nl_talk(&nl, nlh, NULL, NULL);
	return finish(&nl, NULL, err, what);
}

/* fwd add|del DEV SPEC ...: add prints the forward made (the port picked) */
static int cmd_fwd_change(int argc, char **argv, bool del,
			  const struct opts *o)
{
	char req[UNAT_REQ_SIZE], what[128];
	struct unat_fwd_req fwd;
	struct unat_out out;
	struct nlmsghdr *nlh;
	struct unat_nl nl;
	int err;

	if (unat_parse_fwd_req(argc, argv, del, &fwd))
		return usage_error();
	if (del && o->json)
		unat_err("warning: 'fwd del' prints nothing; --json ignored");
	if (unat_nl_open(&nl))
		return UNAT_EXIT_FAIL;

	nlh = unat_msg_start(req, nl.family,
			     del ? UNAT_CMD_FWD_DEL : UNAT_CMD_FWD_ADD, 0);
	unat_put_fwd(nlh, &fwd, del);
	snprintf(what, sizeof(what), "fwd %s %s %s", del ? "del" : "add",
		 fwd.ifname, argv[1]);

	if (del) {
		err = unat_nl_talk(&nl, nlh, NULL, NULL);
		return finish(&nl, NULL, err, what);
	}
	unat_out_begin(&out, stdout, o->json, o->pretty, false);
	out.single = true;
	err = unat_nl_talk(&nl, nlh, unat_print_fwd, &out);
	return finish(&nl, &out, err, what);
}

static int cmd_fwd_list(int argc, char **argv, const struct opts *o)
{
	static const struct dev_dump d = {
		"fwd list", UNAT_CMD_FWD_GET, UNAT_A_FWD_IFNAME,
		unat_print_fwd, false,
	};

	return dump_dev(argc, argv, o, &d);
}

static int cmd_fwd(int argc, char **argv, const struct opts *o)
{
	if (argc < 1) {
		unat_err("'fwd' needs add, del or list");
		return usage_error();
	}
	if (!strcmp(argv[0], "add"))
		return cmd_fwd_change(argc - 1, argv + 1, false, o);
	if (!strcmp(argv[0], "del"))
		return cmd_fwd_change(argc - 1, argv + 1, true, o);
	if (!strcmp(argv[0], "list"))
		return cmd_fwd_list(argc - 1, argv + 1, o);
	unat_err("unknown fwd command '%s': expected add, del or list",
		 argv[0]);
	return usage_error();
}

static int cmd_vm(int argc, char **argv, const struct opts *o)
{
	struct unat_vm_req req;
	int ret;

	ret = unat_parse_vm(argc, argv, &req);
	if (ret)
		return usage_error();
	if (o->json)
		unat_err("warning: 'vm' has no JSON output; --json ignored");
	return unat_cmd_vm(&req);
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "pretty",	no_argument,	NULL, 'p' },
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, 'V' },
		{ NULL,		0,		NULL, 0 },
	};
	struct opts o = { false, false };
	const char *cmd;
	int c;

	/* options come before the command: "+" stops at the first word */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jphV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'p':
			o.json = true;
			o.pretty = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("unat %s\n", UNAT_TOOL_VERSION);
			return 0;
		default:
			if (optopt)
				unat_err("unknown option '-%c'", optopt);
			else
				unat_err("unknown option '%s'", argv[optind - 1]);
			return usage_error();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		fprintf(stderr, "Usage: unat [-j] [-p] { show [DEV] | flows DEV | set DEV SETTING... | fwd add|del|list DEV ... | vm DEV ... | help }\n");
		return usage_error();
	}
	cmd = argv[0];
	argc--;
	argv++;

	if (!strcmp(cmd, "show"))
		return cmd_show(argc, argv, &o);
	if (!strcmp(cmd, "flows"))
		return cmd_flows(argc, argv, &o);
	if (!strcmp(cmd, "set")) {
		if (o.json)
			unat_err("warning: 'set' prints nothing; --json ignored");
		return cmd_set(argc, argv);
	}
	if (!strcmp(cmd, "fwd"))
		return cmd_fwd(argc, argv, &o);
	if (!strcmp(cmd, "vm"))
		return cmd_vm(argc, argv, &o);
	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	unat_err("unknown command '%s'", cmd);
	return usage_error();
}

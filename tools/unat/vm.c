// SPDX-License-Identifier: GPL-2.0
/*
 * `unat vm DEV [OPTION...] [-- COMMAND [ARG...]]`: put a QEMU virtual
 * machine on a unat device.
 *
 * A macvtap (mode bridge) is created on DEV and set up; its character
 * device is opened once per queue, and /dev/vhost-net once per queue when
 * vhost is on.  COMMAND then runs with QEMU's "-netdev tap,fds=..." and
 * "-device virtio-net-pci,..." arguments appended and the descriptors
 * inherited; when it ends the macvtap is deleted (unless "keep") and its
 * exit status is unat's.  COMMAND may itself be `unat vm` on another
 * device: each level appends its own NIC.
 *
 * Without COMMAND the macvtap stays and a shell fragment for QEMU is
 * printed, which opens the device with redirections.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "cli.h"

#define VHOST_NET_DEV	"/dev/vhost-net"

/* Whole-device virtio-net properties that "offload off" turns off. */
static const char *const vm_offload_props[] = {
	"csum", "gso", "guest_csum", "guest_tso4", "guest_tso6", "guest_ecn",
	"guest_ufo", "host_tso4", "host_tso6", "host_ecn", "host_ufo",
};

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char end;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
		   &b[3], &b[4], &b[5], &end) != 6)
		goto bad;
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
	if (mac[0] & 1) {
		unat_err("invalid MAC address '%s': a multicast address", s);
		return -1;
	}
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		goto bad;
	return 0;
bad:
	unat_err("invalid MAC address '%s': expected XX:XX:XX:XX:XX:XX", s);
	return -1;
}

/* Returns 0 or UNAT_EXIT_USAGE, having said what is wrong. */
int unat_parse_vm(int argc, char **argv, struct unat_vm_req *req)
{
	int i;

	memset(req, 0, sizeof(*req));
	req->queues = 1;
	req->offload = true;
	if (argc < 1) {
		unat_err("'vm' needs a unat device");
		return UNAT_EXIT_USAGE;
	}
	if (unat_parse_ifname(argv[0]))
		return UNAT_EXIT_USAGE;
	req->dev = argv[0];
	for (i = 1; i < argc; i++) {
		const char *kw = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(kw, "--")) {
			req->cmd = &argv[i + 1];
			req->cmd_argc = argc - i - 1;
			if (!req->cmd_argc) {
				unat_err("'--' must be followed by a command");
				return UNAT_EXIT_USAGE;
			}
			return 0;
		}
		if (!strcmp(kw, "keep")) {
			req->keep = true;
			continue;
		}
		if (!val) {
			unat_err("'%s' needs a value", kw);
			return UNAT_EXIT_USAGE;
		}
		i++;
		if (!strcmp(kw, "name")) {
			if (unat_parse_ifname(val))
				return UNAT_EXIT_USAGE;
			req->name = val;
		} else if (!strcmp(kw, "mac")) {
			if (parse_mac(val, req->mac))
				return UNAT_EXIT_USAGE;
			req->has_mac = true;
		} else if (!strcmp(kw, "queues")) {
			if (unat_parse_u32(val, "queues", &req->queues))
				return UNAT_EXIT_USAGE;
			if (req->queues < 1 || req->queues > UNAT_VM_MAX_QUEUES) {
				unat_err("queues must be 1-%d", UNAT_VM_MAX_QUEUES);
				return UNAT_EXIT_USAGE;
			}
		} else if (!strcmp(kw, "vhost")) {
			if (unat_parse_onoff(val, "vhost", &req->vhost))
				return UNAT_EXIT_USAGE;
		} else if (!strcmp(kw, "offload")) {
			if (unat_parse_onoff(val, "offload", &req->offload))
				return UNAT_EXIT_USAGE;
		} else {
			unat_err("unknown vm option '%s'", kw);
			return UNAT_EXIT_USAGE;
		}
	}
	return 0;
}

/* "3:4:5", or "3" for one; fds[0] < 0: none. */
static void fd_list(char *buf, size_t len, const int *fds, unsigned int n)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%d", i ? ":" : "",
				fds[i]);
}

/*
 * QEMU's arguments for the NIC: "-netdev" @netdev "-device" @device.
 * @vhostfds NULL with vhost on: QEMU opens /dev/vhost-net itself.
 * The id is the macvtap's name, which QEMU accepts as it is when it is
 * letters, digits, '-', '.' and '_' after a letter; others become '_'.
 */
void unat_vm_qemu_args(const struct unat_vm_req *req, const char *ifname,
		       const uint8_t mac[6], const int *tapfds,
		       const int *vhostfds, char *netdev, char *device,
		       size_t len)
{
	char id[IF_NAMESIZE + 8], fds[UNAT_VM_MAX_QUEUES * 12];
	const char *multi = req->queues > 1 ? "s" : "";
	size_t off, i;

	snprintf(id, sizeof(id), "net-%s", ifname);
	for (i = 4; id[i]; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
			id[i] = '_';
	}
	fd_list(fds, sizeof(fds), tapfds, req->queues);
	off = snprintf(netdev, len, "tap,id=%s,fd%s=%s", id, multi, fds);
	if (req->vhost && off < len) {
		off += snprintf(netdev + off, len - off, ",vhost=on");
		if (vhostfds && off < len) {
			fd_list(fds, sizeof(fds), vhostfds, req->queues);
			snprintf(netdev + off, len - off, ",vhostfd%s=%s",
				 multi, fds);
		}
	}

	off = snprintf(device, len,
		       "virtio-net-pci,netdev=%s,mac=%02x:%02x:%02x:%02x:%02x:%02x",
		       id, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	if (req->queues > 1 && off < len)
		off += snprintf(device + off, len - off, ",mq=on,vectors=%u",
				2 * req->queues + 2);
	for (i = 0; !req->offload && i < ARRAY_SIZE(vm_offload_props) &&
	     off < len; i++)
		off += snprintf(device + off, len - off, ",%s=off",
				vm_offload_props[i]);
}

/* --- rtnetlink ------------------------------------------------------------ */

static int rtnl_err_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	char *msg = data;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return MNL_CB_ERROR;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		unsigned int off = sizeof(*e);

		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		mnl_attr_for_each(a, nlh, off) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(msg, 256, "%s", mnl_attr_get_str(a));
		}
	}
	errno = -e->error;
	return e->error ? MNL_CB_ERROR : MNL_CB_STOP;
}

/* Sends @nlh on a fresh rtnetlink socket and waits for its ack.
 * Returns 0 or a negative errno; the kernel's message goes to @msg.
 */
static int rtnl_talk(struct nlmsghdr *nlh, char msg[256])
{
	mnl_cb_t cbs[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = rtnl_err_cb };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	int one = 1, ret;

	msg[0] = '\0';
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	do {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0) {
			ret = -errno;
			break;
		}
		errno = 0;
		ret = mnl_cb_run2(buf, ret, nlh->nlmsg_seq,
				  mnl_socket_get_portid(nl), NULL, msg, cbs,
				  ARRAY_SIZE(cbs));
		if (ret < 0)
			ret = errno ? -errno : -EIO;
	} while (ret > 0);
out:
	mnl_socket_close(nl);
	return ret;
}

/* An RTM_*LINK request about @ifindex (0: by name) in @buf. */
static struct nlmsghdr *link_msg(void *buf, uint16_t type, uint16_t flags,
				 unsigned int ifindex, unsigned int up)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = up;
	ifi->ifi_change = up;
	return nlh;
}

static int macvtap_create(const char *name, unsigned int link,
			  const uint8_t mac[6], char msg[256])
{
	char buf[UNAT_REQ_SIZE];
	struct nlattr *info, *data;
	struct nlmsghdr *nlh;

	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, IFF_UP);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_LINK, link);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvtap");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return rtnl_talk(nlh, msg);
}

static int link_delete(unsigned int ifindex)
{
	char buf[UNAT_REQ_SIZE], msg[256];

	return rtnl_talk(link_msg(buf, RTM_DELLINK, 0, ifindex, 0), msg);
}

/* --- the macvtap's character device --------------------------------------- */

/*
 * The macvtap's device number, from sysfs.  /dev/tapIFINDEX is used when
 * it is that device; otherwise (no udev, a container's /dev, a stale node
 * of another netns's macvtap) a private node is made and removed once
 * open.  Opens @n queues; returns 0 or -1 having said why.
 */
static int tap_open(const char *ifname, unsigned int ifindex, int *fds,
		    unsigned int n, char *path, size_t len)
{
	char sys[128], dir[] = "/tmp/unat-vm.XXXXXX", node[64];
	unsigned int maj, min, i;
	bool own = false;
	struct stat st;
	FILE *f;

	snprintf(sys, sizeof(sys), "/sys/class/net/%s/macvtap/tap%u/dev",
		 ifname, ifindex);
	f = fopen(sys, "r");
	if (!f || fscanf(f, "%u:%u", &maj, &min) != 2) {
		unat_err("cannot read %s: %s", sys, f ? "bad format" :
			 strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	snprintf(path, len, "/dev/tap%u", ifindex);
	if (stat(path, &st) || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(maj, min)) {
		if (!mkdtemp(dir)) {
			unat_err("cannot make a directory for the tap node: %s",
				 strerror(errno));
			return -1;
		}
		snprintf(node, sizeof(node), "%s/tap", dir);
		if (mknod(node, S_IFCHR | 0600, makedev(maj, min))) {
			unat_err("cannot make %s: %s", node, strerror(errno));
			rmdir(dir);
			return -1;
		}
		own = true;
	}
	for (i = 0; i < n; i++) {
		fds[i] = open(own ? node : path, O_RDWR);
		if (fds[i] < 0) {
			unat_err("cannot open %s: %s", path, strerror(errno));
			break;
		}
	}
	if (own) {
		unlink(node);
		rmdir(dir);
	}
	if (i == n)
		return 0;
	while (i--)
		close(fds[i]);
	return -1;
}

static int vhost_open(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		fds[i] = open(VHOST_NET_DEV, O_RDWR);
		if (fds[i] < 0) {
			unat_err("cannot open %s: %s (modprobe vhost_net?)",
				 VHOST_NET_DEV, strerror(errno));
			while (i--)
				close(fds[i]);
			return -1;
		}
	}
	return 0;
}

/* --- running -------------------------------------------------------------- */

static volatile sig_atomic_t vm_child, vm_pending;

/* SIGTERM/SIGHUP: for COMMAND, or for it once it is forked. */
static void vm_forward(int sig)
{
	if (vm_child > 0)
		kill(vm_child, sig);
	else
		vm_pending = sig;
}

/* ^C reaches the whole foreground group: QEMU decides what it means. */
static void vm_signals(void (*term)(int), void (*intr)(int))
{
	struct sigaction sa = { .sa_handler = term };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGINT, intr);
	signal(SIGQUIT, intr);
}

static void close_fds(int *fds, unsigned int n)
{
	while (n--)
		if (fds[n] >= 0)
			close(fds[n]);
}

/*
 * COMMAND with "-netdev" @netdev "-device" @device appended, inheriting
 * @fds (@nfds of them, closed here once it runs); its exit status.
 */
static int vm_run(const struct unat_vm_req *req, const char *netdev,
		  const char *device, int *fds, unsigned int nfds)
{
	char **argv;
	int status, i;
	pid_t pid;

	argv = calloc(req->cmd_argc + 5, sizeof(*argv));
	if (!argv) {
		unat_err("out of memory");
		return UNAT_EXIT_FAIL;
	}
	for (i = 0; i < req->cmd_argc; i++)
		argv[i] = req->cmd[i];
	argv[i++] = "-netdev";
	argv[i++] = (char *)netdev;
	argv[i++] = "-device";
	argv[i++] = (char *)device;
	fflush(NULL);
	vm_signals(vm_forward, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		unat_err("cannot fork: %s", strerror(errno));
		close_fds(fds, nfds);
		free(argv);
		return UNAT_EXIT_FAIL;
	}
	if (!pid) {
		vm_signals(SIG_DFL, SIG_DFL);
		execvp(argv[0], argv);
		unat_err("cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	vm_child = pid;
	if (vm_pending)
		kill(pid, vm_pending);
	free(argv);
	close_fds(fds, nfds);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			unat_err("waitpid: %s", strerror(errno));
			return UNAT_EXIT_FAIL;
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Without COMMAND: what to give QEMU, for a shell. */
static void vm_print(const struct unat_vm_req *req, const char *ifname,
		     const char *path, const char *netdev, const char *device)
{
	unsigned int i;

	printf("# macvtap %s on %s; delete it with: ip link del %s\n",
	       ifname, req->dev, ifname);
	printf("-netdev %s -device %s", netdev, device);
	for (i = 0; i < req->queues; i++)
		printf(" %u<>%s", UNAT_VM_FIRST_FD + i, path);
	printf("\n");
}

/* The DEV_GET answer names DEV a unat device, or says why not. */
static int check_unat_dev(const char *dev)
{
	char req[UNAT_REQ_SIZE], what[64];
	struct nlmsghdr *nlh;
	struct unat_nl nl;
	int err;

	if (unat_nl_open(&nl))
		return -1;
	nlh = unat_msg_start(req, nl.family, UNAT_CMD_DEV_GET, 0);
	mnl_attr_put_strz(nlh, UNAT_A_DEV_IFNAME, dev);
	snprintf(what, sizeof(what), "vm %s", dev);
	err = unat_nl_talk(&nl, nlh, NULL, NULL);
	if (err)
		unat_nl_report(&nl, err, what);
	unat_nl_close(&nl);
	return err ? -1 : 0;
}

/* Creates the macvtap, trying DEV-vm0, DEV-vm1... without "name". */
static int vm_create(const struct unat_vm_req *req, const uint8_t mac[6],
		     char *ifname, unsigned int *ifindex)
{
	unsigned int link = if_nametoindex(req->dev), n;
	char msg[256];
	int err = -EEXIST;

	for (n = 0; err == -EEXIST && n < 100; n++) {
		if (req->name)
			snprintf(ifname, IF_NAMESIZE, "%s", req->name);
		else
			snprintf(ifname, IF_NAMESIZE, "%.9s-vm%u", req->dev, n);
		err = macvtap_create(ifname, link, mac, msg);
		if (req->name)
			break;
	}
	if (err) {
		unat_err("Error: cannot create macvtap %s on %s: %s%s%s",
			 ifname, req->dev, msg, msg[0] ? ": " : "",
			 strerror(-err));
		return -1;
	}
	*ifindex = if_nametoindex(ifname);
	if (!*ifindex) {
		unat_err("macvtap %s vanished", ifname);
		return -1;
	}
	return 0;
}

int unat_cmd_vm(const struct unat_vm_req *req)
{
	int fds[2 * UNAT_VM_MAX_QUEUES], *tapfds = fds;
	int *vhostfds = fds + UNAT_VM_MAX_QUEUES;
	char ifname[IF_NAMESIZE], path[64], netdev[512], device[512];
	int ret = UNAT_EXIT_FAIL;
	unsigned int ifindex, i;
	uint8_t mac[6];
	int err;

	if (check_unat_dev(req->dev))
		return UNAT_EXIT_FAIL;
	if (req->has_mac) {
		memcpy(mac, req->mac, sizeof(mac));
	} else {
		/* QEMU's own prefix, as virt-install and libvirt use */
		mac[0] = 0x52;
		mac[1] = 0x54;
		mac[2] = 0x00;
		if (getrandom(mac + 3, 3, 0) != 3) {
			unat_err("getrandom: %s", strerror(errno));
			return UNAT_EXIT_FAIL;
		}
	}
	if (vm_create(req, mac, ifname, &ifindex))
		return UNAT_EXIT_FAIL;

	for (i = 0; i < ARRAY_SIZE(fds); i++)
		fds[i] = -1;
	if (!req->cmd) {
		for (i = 0; i < req->queues; i++)
			tapfds[i] = UNAT_VM_FIRST_FD + i;
		unat_vm_qemu_args(req, ifname, mac, tapfds, NULL, netdev,
				  device, sizeof(netdev));
		snprintf(path, sizeof(path), "/dev/tap%u", ifindex);
		vm_print(req, ifname, path, netdev, device);
		return 0;
	}
	if (tap_open(ifname, ifindex, tapfds, req->queues, path, sizeof(path)))
		goto del;
	if (req->vhost && vhost_open(vhostfds, req->queues))
		goto close_tap;
	unat_vm_qemu_args(req, ifname, mac, tapfds,
			  req->vhost ? vhostfds : NULL, netdev, device,
			  sizeof(netdev));
	ret = vm_run(req, netdev, device, fds, ARRAY_SIZE(fds));
	goto del;
close_tap:
	close_fds(tapfds, req->queues);
del:
	if (req->keep)
		return ret;
	err = link_delete(ifindex);
	/* gone already when DEV went while COMMAND ran */
	if (err && err != -ENODEV)
		unat_err("warning: cannot delete macvtap %s: %s", ifname,
			 strerror(-err));
	return ret;
}

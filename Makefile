# SPDX-License-Identifier: GPL-2.0
#
# unat: build, install, test.
#
#   make                 unat.ko for the running kernel (KDIR=...), tools
#   make install         module into /lib/modules/$(KVER)/extra, iproute2 plugin
#   make dkms-install    register the sources with DKMS instead
#   make check           every test, in throwaway VMs (see README)
#   make demo            a guest gets its network from unat0, in a VM
#   make fuzz-frag       200000 hostile frames from a guest, in VMs
#   make fuzz            10^6 frames in KUnit, 2x10^5 behind vnet headers (debug)
#   make stress          teardown with 5000 flows of every kind (debug: 1000),
#                        then the guest floods at 4x, stock and debug, in VMs
#   make bench           unat against veth, pasta, slirp4netns, one VM boot
#   make bench-scale     10000 TCP connections, 50000 UDP flows: what they cost
#   make bench-profile   perf of one workload (PROFILE=crr, up, down, rtt, ...)
#   make bench-icmp      host CPU per ICMP packet against the number of echo
#                        flows (ICMP_BASE=COMMIT: that build beside this one)

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
INSTALL_MOD_DIR ?= extra
VERSION := 0.1.0
DKMS_SRC := /usr/src/unat-$(VERSION)

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) \
		modules_install
	depmod -a $(KVER)
	$(MAKE) -C tools install

dkms-install:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r Kbuild Makefile dkms.conf module kunit include $(DKMS_SRC)/
	dkms add -m unat -v $(VERSION)
	dkms install -m unat -v $(VERSION)

dkms-uninstall:
	dkms remove -m unat -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

check:
	tools/check.sh

demo:
	tools/demo.sh

bench:
	tools/deps.sh
	tools/bench/run.sh

# 10000 idle TCP connections and 50000 UDP flows: memory, open time, CPU
bench-scale:
	tools/deps.sh
	tools/bench/scale-run.sh

# where the CPU goes during one workload: make bench-profile [PROFILE=crr]
bench-profile:
	tools/deps.sh perf
	tools/bench/profile-run.sh $(PROFILE)

bench-icmp:
	tools/deps.sh
	tools/bench/icmp-run.sh $(ICMP_BASE)

# 200000 random and mutated frames from a guest, on the stock kernel
fuzz-frag:
	tools/fuzz-frag.sh

# 1000000 frames through KUnit's unat_fuzz and 203000 behind hostile
# virtio-net headers through a macvtap, on the debug kernel
fuzz:
	tools/deps.sh
	tools/fuzz-kunit.sh
	tools/fuzz-vnet.sh

# selftests/teardown.sh with 5000 flows of every kind, then the guest floods
# at four times make check's size, stock and debug
stress:
	tools/deps.sh
	tools/stress.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools clean
	rm -rf build out

.PHONY: all module tools install dkms-install dkms-uninstall check demo bench bench-scale bench-profile bench-icmp \
	fuzz-frag fuzz stress clean

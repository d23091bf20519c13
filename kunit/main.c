// SPDX-License-Identifier: GPL-2.0
/*
 * unat_test.ko: KUnit suites for unat's parsers, builders and handlers.
 * Loading it runs them; results go to the kernel log and, with
 * CONFIG_KUNIT_DEBUGFS, /sys/kernel/debug/kunit/<suite>/results.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "helpers.h"

kunit_test_suites(&unat_config_suite, &unat_dnsname_suite, &unat_arp_suite,
		  &unat_ipv4_suite, &unat_dhcp_suite, &unat_flow_suite,
		  &unat_tcp_suite, &unat_fwd_suite, &unat_ipv6_suite,
		  &unat_frag_suite, &unat_ping_suite, &unat_netlink_suite,
		  &unat_fuzz_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for unat");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

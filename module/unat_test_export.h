/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_TEST_EXPORT_H
#define _UNAT_TEST_EXPORT_H

#include <linux/export.h>

/*
 * Internal symbols that the KUnit module (unat_test.ko) exercises are
 * exported only when the kernel has KUnit; stock kernels export nothing.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define UNAT_EXPORT_FOR_TEST(sym)	EXPORT_SYMBOL_GPL(sym)
#else
#define UNAT_EXPORT_FOR_TEST(sym)
#endif

#endif /* _UNAT_TEST_EXPORT_H */

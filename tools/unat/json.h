/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: values go out as they are given, with
 * commas, indentation (pretty) and string escaping done here.
 */
#ifndef UNAT_JSON_H
#define UNAT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *f;
	bool pretty;
	bool first;		/* the open container holds no value yet */
	bool after_key;		/* the next value belongs to a key */
	int depth;
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_obj_open(struct json *j);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j);
void json_arr_close(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);	/* NULL: null */
void json_u64(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_end(struct json *j);			/* after the top value */

void json_escape(FILE *f, const char *s);

static inline void json_kv_str(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_str(j, v);
}

static inline void json_kv_u64(struct json *j, const char *k, uint64_t v)
{
	json_key(j, k);
	json_u64(j, v);
}

static inline void json_kv_bool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	json_bool(j, v);
}

#endif /* UNAT_JSON_H */

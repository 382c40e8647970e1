/* SPDX-License-Identifier: GPL-2.0 */
/*
 * quota.h - VF quotas: "vf set VF quota KEY VALUE ...", their netlink nest
 * (VGPU_A_VF_QUOTA) and how "vf show" prints them
 *
 * One table names every key once: the CLI word, the JSON key and the
 * netlink attribute. apply/save (persistence) use the same functions.
 */
#ifndef VGPU_NL_QUOTA_H
#define VGPU_NL_QUOTA_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "vgpu_nl.h"

struct cli_cmd;

/* A set of quota values; has[] says which are given. */
struct vf_quota {
	bool has[VGPU_A_QUOTA_MAX + 1];
	uint64_t val[VGPU_A_QUOTA_MAX + 1];
};

enum quota_kind {
	QUOTA_SIZE,		/* bytes; the CLI takes K/M/G/T suffixes */
	QUOTA_NUMBER,		/* a plain count or time */
	QUOTA_PRIORITY,		/* low|normal|high */
};

struct quota_key {
	const char *word;	/* CLI: "exec-quantum" */
	const char *json;	/* JSON and config: "exec_quantum_ms" */
	int attr;		/* VGPU_A_QUOTA_EXEC_QUANTUM_MS */
	enum quota_kind kind;
	uint64_t max;		/* largest value the attribute carries */
};

extern const struct quota_key quota_keys[];
extern const unsigned int quota_nkeys;

/* The key named @word (CLI word or JSON key), or NULL. */
const struct quota_key *quota_key_find(const char *word);

/*
 * Parses one value of @key: "512M", "1G", "4096", "low". Returns 0, or -1
 * with a reason in @why (for "Error: invalid ggtt value '5X': <why>").
 */
int quota_parse_value(const struct quota_key *key, const char *arg,
		      uint64_t *val, const char **why);

/*
 * "KEY VALUE [KEY VALUE ...]" into @q: EXIT_OK, or a usage error (exit 2)
 * naming the bad key or value.
 */
int quota_parse_args(const struct cli_cmd *cmd, int argc, char **argv,
		     struct vf_quota *q);

/* Adds @q as a VGPU_A_VF_QUOTA nest to @msg; 0 or -ENOMEM. */
int quota_put(struct nl_msg *msg, const struct vf_quota *q);
/* The same as a nest @type of quota attributes (VGPU_A_DEV_PROFILE). */
int quota_put_nest(struct nl_msg *msg, int type, const struct vf_quota *q);

/* Reads a VGPU_A_VF_QUOTA nest (already policy-checked) into @q. */
void quota_from_nest(struct nlattr *nest, struct vf_quota *q);

/* Prints @q as object "quota" (JSON) or " quota KEY VALUE ..." (text). */
void quota_print(const struct vf_quota *q);
/* The same named @name ("profile"). */
void quota_print_as(const struct vf_quota *q, const char *name);

/* A provisioning mode's name: "auto", "custom". */
const char *quota_mode_name(unsigned int mode);

/* "low", "normal", "high". */
const char *quota_priority_name(uint64_t prio);

/* Bytes as the CLI takes them back: "512M", "3G", "4095". */
void quota_format_size(uint64_t val, char *buf, size_t len);

/* A value as the CLI would take it back: "512M", "4096", "low". */
void quota_format(const struct quota_key *key, uint64_t val, char *buf,
		  size_t len);

#endif

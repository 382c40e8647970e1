// SPDX-License-Identifier: GPL-2.0
/*
 * quota.c - VF quota keys: parsing, the netlink nest, printing
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/quota.h"
#include "output/output.h"

const struct quota_key quota_keys[] = {
	{ "ggtt", "ggtt", VGPU_A_QUOTA_GGTT, QUOTA_SIZE, UINT64_MAX },
	{ "contexts", "contexts", VGPU_A_QUOTA_CONTEXTS, QUOTA_NUMBER,
	  UINT32_MAX },
	{ "doorbells", "doorbells", VGPU_A_QUOTA_DOORBELLS, QUOTA_NUMBER,
	  UINT32_MAX },
	{ "vram", "vram", VGPU_A_QUOTA_VRAM, QUOTA_SIZE, UINT64_MAX },
	{ "exec-quantum", "exec_quantum_ms", VGPU_A_QUOTA_EXEC_QUANTUM_MS,
	  QUOTA_NUMBER, UINT32_MAX },
	{ "preempt-timeout", "preempt_timeout_us",
	  VGPU_A_QUOTA_PREEMPT_TIMEOUT_US, QUOTA_NUMBER, UINT32_MAX },
	{ "priority", "priority", VGPU_A_QUOTA_PRIORITY, QUOTA_PRIORITY,
	  VGPU_PRIORITY_HIGH },
	/* i915's media GT (Meteor Lake): its own contexts and doorbells. */
	{ "gt1-contexts", "gt1_contexts", VGPU_A_QUOTA_GT1_CONTEXTS,
	  QUOTA_NUMBER, UINT32_MAX },
	{ "gt1-doorbells", "gt1_doorbells", VGPU_A_QUOTA_GT1_DOORBELLS,
	  QUOTA_NUMBER, UINT32_MAX },
	{ "gt1-exec-quantum", "gt1_exec_quantum_ms",
	  VGPU_A_QUOTA_GT1_EXEC_QUANTUM_MS, QUOTA_NUMBER, UINT32_MAX },
	{ "gt1-preempt-timeout", "gt1_preempt_timeout_us",
	  VGPU_A_QUOTA_GT1_PREEMPT_TIMEOUT_US, QUOTA_NUMBER, UINT32_MAX },
};
const unsigned int quota_nkeys = ARRAY_SIZE(quota_keys);

static const char *const priority_names[] = {
	[VGPU_PRIORITY_LOW] = "low",
	[VGPU_PRIORITY_NORMAL] = "normal",
	[VGPU_PRIORITY_HIGH] = "high",
};

const char *quota_priority_name(uint64_t prio)
{
	return prio < ARRAY_SIZE(priority_names) ? priority_names[prio] : "?";
}

const struct quota_key *quota_key_find(const char *word)
{
	unsigned int i;

	for (i = 0; i < quota_nkeys; i++)
		if (!strcmp(quota_keys[i].word, word) ||
		    !strcmp(quota_keys[i].json, word))
			return &quota_keys[i];
	return NULL;
}

/* Binary suffixes, as sizes of graphics memory are always meant. */
static int size_shift(const char *suffix)
{
	static const struct { const char *s; int shift; } units[] = {
		{ "", 0 }, { "B", 0 },
		{ "K", 10 }, { "KiB", 10 }, { "M", 20 }, { "MiB", 20 },
		{ "G", 30 }, { "GiB", 30 }, { "T", 40 }, { "TiB", 40 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(suffix, units[i].s))
			return units[i].shift;
	return -1;
}

int quota_parse_value(const struct quota_key *key, const char *arg,
		      uint64_t *val, const char **why)
{
	uint64_t v = 0;
	const char *p;
	int shift = 0;
	size_t i;

	if (key->kind == QUOTA_PRIORITY) {
		for (i = 0; i < ARRAY_SIZE(priority_names); i++)
			if (!strcmp(arg, priority_names[i])) {
				*val = i;
				return 0;
			}
		*why = "expected low, normal or high";
		return -1;
	}
	/* Decimal digits only: no sign, space, hex or octal. */
	for (p = arg; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (*p - '0')) / 10) {
			*why = "too large";
			return -1;
		}
		v = v * 10 + (*p - '0');
	}
	if (p == arg) {
		*why = key->kind == QUOTA_SIZE ?
		       "expected a size such as 512M, 2G or 4096 (bytes)" :
		       "expected a decimal number";
		return -1;
	}
	if (*p) {
		shift = key->kind == QUOTA_SIZE ? size_shift(p) : -1;
		if (shift < 0) {
			*why = key->kind == QUOTA_SIZE ?
			       "unknown unit: use K, M, G or T (binary), or bytes" :
			       "expected a decimal number without unit";
			return -1;
		}
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		*why = "too large";
		return -1;
	}
	v <<= shift;
	if (v > key->max) {
		*why = "too large";
		return -1;
	}
	*val = v;
	return 0;
}

int quota_parse_args(const struct cli_cmd *cmd, int argc, char **argv,
		     struct vf_quota *q)
{
	const struct quota_key *key;
	const char *why;
	int i;

	memset(q, 0, sizeof(*q));
	if (argc < 2)
		return cli_usage(cmd, "quota needs KEY VALUE pairs");
	for (i = 0; i < argc; i += 2) {
		key = quota_key_find(argv[i]);
		if (!key)
			return cli_usage(cmd, "unknown quota key '%s' (ggtt, contexts, doorbells, vram, exec-quantum, preempt-timeout, priority, gt1-...)",
					 argv[i]);
		if (i + 1 >= argc)
			return cli_usage(cmd, "quota key '%s' needs a value",
					 argv[i]);
		if (q->has[key->attr])
			return cli_usage(cmd, "quota key '%s' given twice",
					 key->word);
		if (quota_parse_value(key, argv[i + 1], &q->val[key->attr],
				      &why))
			return cli_usage(cmd, "invalid %s value '%s': %s",
					 key->word, argv[i + 1], why);
		q->has[key->attr] = true;
	}
	return EXIT_OK;
}

int quota_put(struct nl_msg *msg, const struct vf_quota *q)
{
	return quota_put_nest(msg, VGPU_A_VF_QUOTA, q);
}

int quota_put_nest(struct nl_msg *msg, int type, const struct vf_quota *q)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	unsigned int i;
	int attr, ret = 0;

	if (!nest)
		return -ENOMEM;
	for (i = 0; i < quota_nkeys && !ret; i++) {
		attr = quota_keys[i].attr;
		if (!q->has[attr])
			continue;
		if (attr == VGPU_A_QUOTA_GGTT || attr == VGPU_A_QUOTA_VRAM)
			ret = nla_put_u64(msg, attr, q->val[attr]);
		else if (attr == VGPU_A_QUOTA_PRIORITY)
			ret = nla_put_u8(msg, attr, q->val[attr]);
		else
			ret = nla_put_u32(msg, attr, q->val[attr]);
	}
	if (ret)
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

void quota_from_nest(struct nlattr *nest, struct vf_quota *q)
{
	struct nlattr *tb[VGPU_A_QUOTA_MAX + 1];
	unsigned int i;
	int attr;

	memset(q, 0, sizeof(*q));
	if (!nest || vgpu_nl_parse_quota(nest, tb) < 0)
		return;
	for (i = 0; i < quota_nkeys; i++) {
		attr = quota_keys[i].attr;
		if (!tb[attr])
			continue;
		q->has[attr] = true;
		if (attr == VGPU_A_QUOTA_GGTT || attr == VGPU_A_QUOTA_VRAM)
			q->val[attr] = nla_get_u64(tb[attr]);
		else if (attr == VGPU_A_QUOTA_PRIORITY)
			q->val[attr] = nla_get_u8(tb[attr]);
		else
			q->val[attr] = nla_get_u32(tb[attr]);
	}
}

void quota_format_size(uint64_t val, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	/* The largest unit that keeps the value exact, so it parses back. */
	while (val && u < 3 && !(val & 1023)) {
		val >>= 10;
		u++;
	}
	if (u >= 0)
		snprintf(buf, len, "%" PRIu64 "%c", val, units[u]);
	else
		snprintf(buf, len, "%" PRIu64, val);
}

void quota_format(const struct quota_key *key, uint64_t val, char *buf,
		  size_t len)
{
	if (key->kind == QUOTA_PRIORITY)
		snprintf(buf, len, "%s", quota_priority_name(val));
	else if (key->kind == QUOTA_SIZE)
		quota_format_size(val, buf, len);
	else
		snprintf(buf, len, "%" PRIu64, val);
}

void quota_print(const struct vf_quota *q)
{
	quota_print_as(q, "quota");
}

void quota_print_as(const struct vf_quota *q, const char *name)
{
	const struct quota_key *key;
	bool any = false;
	char text[32];
	unsigned int i;

	for (i = 0; i < quota_nkeys; i++)
		any |= q->has[quota_keys[i].attr];
	if (!any)
		return;
	open_object(name);
	print_string(PRINT_FP, NULL, " %s", name);
	for (i = 0; i < quota_nkeys; i++) {
		key = &quota_keys[i];
		if (!q->has[key->attr])
			continue;
		quota_format(key, q->val[key->attr], text, sizeof(text));
		if (key->kind == QUOTA_PRIORITY)
			print_string(PRINT_JSON, key->json, NULL, text);
		else
			print_u64(PRINT_JSON, key->json, NULL,
				  q->val[key->attr]);
		print_string(PRINT_FP, NULL, " %s", key->word);
		print_string(PRINT_FP, NULL, " %s", text);
	}
	close_object();
}

const char *quota_mode_name(unsigned int mode)
{
	return mode == VGPU_PROV_MODE_AUTO ? "auto" :
	       mode == VGPU_PROV_MODE_CUSTOM ? "custom" : "?";
}

// SPDX-License-Identifier: GPL-2.0
/* Quota values: units, limits, and the round trip through their text form. */
#include <stdint.h>

#include "cli/quota.h"
#include "unit.h"

static uint64_t parse_ok(const char *word, const char *arg)
{
	const struct quota_key *key = quota_key_find(word);
	const char *why = NULL;
	uint64_t v = 0;

	CHECK(key != NULL);
	if (key && quota_parse_value(key, arg, &v, &why))
		unit_fail(__FILE__, __LINE__, "%s %s refused: %s", word, arg, why);
	return v;
}

TEST(quota_sizes_take_binary_units)
{
	CHECK_INT(parse_ok("ggtt", "4096"), 4096);
	CHECK_INT(parse_ok("ggtt", "4K"), 4096);
	CHECK_INT(parse_ok("ggtt", "512M"), 512ULL << 20);
	CHECK_INT(parse_ok("ggtt", "512MiB"), 512ULL << 20);
	CHECK_INT(parse_ok("vram", "2G"), 2ULL << 30);
	CHECK_INT(parse_ok("vram", "1T"), 1ULL << 40);
	CHECK_INT(parse_ok("ggtt", "0"), 0);
}

TEST(quota_numbers_and_priority)
{
	CHECK_INT(parse_ok("contexts", "1024"), 1024);
	CHECK_INT(parse_ok("exec_quantum_ms", "20"), 20);
	CHECK_INT(parse_ok("preempt-timeout", "40000"), 40000);
	CHECK_INT(parse_ok("priority", "low"), VGPU_PRIORITY_LOW);
	CHECK_INT(parse_ok("priority", "high"), VGPU_PRIORITY_HIGH);
}

TEST(quota_bad_values)
{
	const struct quota_key *ggtt = quota_key_find("ggtt");
	const struct quota_key *ctx = quota_key_find("contexts");
	const char *why = NULL;
	uint64_t v;

	CHECK(quota_parse_value(ggtt, "", &v, &why) < 0);
	CHECK(quota_parse_value(ggtt, "1.5G", &v, &why) < 0);
	CHECK(quota_parse_value(ggtt, "0x10", &v, &why) < 0);
	CHECK(quota_parse_value(ggtt, "16777216T", &v, &why) < 0);
	CHECK_STR(why, "too large");
	CHECK(quota_parse_value(ggtt, "18446744073709551616", &v, &why) < 0);
	CHECK(quota_parse_value(ctx, "4294967296", &v, &why) < 0);
	CHECK(quota_parse_value(ctx, " 1", &v, &why) < 0);
	CHECK(quota_key_find("Ggtt") == NULL);
}

/* What "vf show" and "save" print must parse back to the same value. */
TEST(quota_format_round_trips)
{
	static const uint64_t sizes[] = {
		0, 1, 4095, 4096, 512ULL << 20, (3ULL << 30) + 4096, 1ULL << 40,
		5ULL << 40, UINT64_MAX,
	};
	const struct quota_key *ggtt = quota_key_find("ggtt");
	const char *why;
	char text[32];
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		quota_format(ggtt, sizes[i], text, sizeof(text));
		CHECK(quota_parse_value(ggtt, text, &v, &why) == 0);
		CHECK_INT(v == sizes[i], 1);
	}
	quota_format(ggtt, 512ULL << 20, text, sizeof(text));
	CHECK_STR(text, "512M");
	quota_format(quota_key_find("priority"), VGPU_PRIORITY_NORMAL, text,
		     sizeof(text));
	CHECK_STR(text, "normal");
}

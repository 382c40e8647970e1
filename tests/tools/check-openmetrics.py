#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-openmetrics.py METRICS JSON: the OpenMetrics text of
"vgpu-nl resource show --format openmetrics" must be accepted by the strict
OpenMetrics parser and by the Prometheus text parser (python3-prometheus-client),
and every figure of the JSON report ("vgpu-nl -j resource show") must appear
in it with the same value, and no other. Prints what differs; exit 1 if any."""
import json
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as om_parse
from prometheus_client.parser import text_string_to_metric_families as prom_parse


def main():
    text = open(sys.argv[1]).read()
    report = json.load(open(sys.argv[2]))
    bad = []
    try:
        families = list(om_parse(text))
    except Exception as e:  # the parser raises ValueError and friends
        print(f"OpenMetrics parser refused it: {e}")
        return 1
    try:
        list(prom_parse(text))
    except Exception as e:
        print(f"Prometheus text parser refused it: {e}")
        return 1

    got = {}
    for fam in families:
        if fam.type != "gauge":
            bad.append(f"{fam.name}: type {fam.type}, want gauge")
        for s in fam.samples:
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in got:
                bad.append(f"duplicate sample {key}")
            got[key] = s.value

    fig = {"size": "vgpu_resource_size", "occ": "vgpu_resource_occupied",
           "free": "vgpu_resource_free", "max_quota": "vgpu_resource_max_quota"}
    want = {}
    for dev in report["resources"]:
        for r in dev["resources"]:
            base = {"device": dev["handle"], "resource": r["name"], "unit": r["unit"]}
            for k, name in fig.items():
                if k in r:
                    want[(name, tuple(sorted(base.items())))] = r[k]
            for c in r["resources"]:
                labels = dict(base, holder=c["name"])
                want[("vgpu_resource_held", tuple(sorted(labels.items())))] = c["size"]
    for dev in report["resources"]:
        if "provisioning_mode" in dev:
            want[("vgpu_provisioning_custom", (("device", dev["handle"]),))] = \
                int(dev["provisioning_mode"] == "custom")
    res_got = {k: v for k, v in got.items()
               if k[0].startswith("vgpu_resource_") or k[0] == "vgpu_provisioning_custom"}
    for k, v in want.items():
        if k not in res_got:
            bad.append(f"missing {k}")
        elif res_got[k] != v:
            bad.append(f"{k}: metrics {res_got[k]}, JSON {v}")
    for k in res_got:
        if k not in want:
            bad.append(f"extra {k}")
    if not want:
        bad.append("the JSON report has no figures: nothing was compared")
    for b in bad:
        print(b)
    print(f"{len(want)} figures compared, {len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

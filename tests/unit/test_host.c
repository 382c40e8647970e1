// SPDX-License-Identifier: GPL-2.0
/*
 * test_host.c - who holds a VF's VFIO files, read from a fake /proc, and
 * VF-or-PF from a fake /sys
 *
 * The fake tree (fake_host.h) for most cases:
 *
 *   VF 0000:01:00.1  group 12  cdev vfio3     (bound to vfio-pci)
 *   VF 0000:01:00.2  group 13  no cdev
 *   VF 0000:01:00.3  no group (the kernel sent none)
 *
 *   pid 100 qemu-a   fd 3 -> /dev/vfio/12           group node of .1
 *   pid 200 qemu-b   fd 5 -> /dev/vfio/devices/vfio3  cdev of .1
 *   pid 300 bash     unrelated: /dev/null, socket:[1], /dev/vfio/vfio,
 *                    /dev/vfio/120, /dev/vfio/1, /dev/vfio/devices/vfio30
 *   pid 400          no fd directory (exited)
 *   pid 500 both     group 13 twice and noiommu-13: one holder of .2
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_host.h"
#include "host/holders.h"
#include "host/pci.h"
#include "host/vfio.h"
#include "unit.h"

static void fake_tree(void)
{
	fh_setup();
	fh_pci("0000:01:00.0", 0, NULL);
	fh_pci("0000:01:00.1", 1, "vfio3");
	fh_pci("0000:01:00.2", 1, NULL);
	fh_pci("0000:01:00.3", 1, NULL);

	fh_comm(100, "qemu-a");
	fh_fd(100, 0, "/dev/pts/0");
	fh_fd(100, 3, "/dev/vfio/12");
	fh_comm(200, "qemu-b");
	fh_fd(200, 5, "/dev/vfio/devices/vfio3");
	fh_fd(200, 6, "/dev/iommu");
	fh_comm(300, "bash");
	fh_fd(300, 0, "/dev/null");
	fh_fd(300, 1, "socket:[1]");
	fh_fd(300, 2, "/dev/vfio/vfio");	/* the container: no group */
	fh_fd(300, 4, "/dev/vfio/120");
	fh_fd(300, 5, "/dev/vfio/1");
	fh_fd(300, 6, "/dev/vfio/devices/vfio30");
	fh_fd(300, 7, "/dev/vfio/12x");
	fh_pid_dir(400);
	fh_comm(500, "both");
	fh_fd(500, 7, "/dev/vfio/13");
	fh_fd(500, 8, "/dev/vfio/13");
	fh_fd(500, 9, "/dev/vfio/noiommu-13");
}

static void three_vfs(struct host_dev *v)
{
	memset(v, 0, 3 * sizeof(*v));
	v[0].handle = "pci/0000:01:00.1";
	v[0].has_group = true;
	v[0].group = 12;
	v[1].handle = "pci/0000:01:00.2";
	v[1].has_group = true;
	v[1].group = 13;
	v[2].handle = "pci/0000:01:00.3";
}

TEST(host_holders_group_and_cdev)
{
	struct host_dev v[3];

	fake_tree();
	three_vfs(v);
	CHECK_INT(host_find_holders(v, 3), 0);

	CHECK_STR(v[0].cdev, "vfio3");
	CHECK_INT(v[0].nholders, 2);
	if (v[0].nholders == 2) {
		CHECK_INT(v[0].holders[0].pid, 100);
		CHECK_STR(v[0].holders[0].comm, "qemu-a");
		CHECK_INT(v[0].holders[1].pid, 200);
		CHECK_STR(v[0].holders[1].comm, "qemu-b");
	}
	/* Three fds of one process: one holder. */
	CHECK_STR(v[1].cdev, "");
	CHECK_INT(v[1].nholders, 1);
	if (v[1].nholders == 1) {
		CHECK_INT(v[1].holders[0].pid, 500);
		CHECK_STR(v[1].holders[0].comm, "both");
	}
	/* No group, no cdev: nothing can match it. */
	CHECK_INT(v[2].nholders, 0);

	host_devs_free(v, 3);
	CHECK(!v[0].holders && !v[0].nholders);
	fh_teardown();
}

/* Two VFs without ACS share a group: whoever opens it holds both. */
TEST(host_holders_shared_group)
{
	struct host_dev v[2] = {
		{ .handle = "pci/0000:01:00.1", .has_group = true, .group = 12 },
		{ .handle = "pci/0000:01:00.2", .has_group = true, .group = 12 },
	};

	fake_tree();
	CHECK_INT(host_find_holders(v, 2), 0);
	CHECK_INT(v[0].nholders, 2);	/* group node and cdev */
	CHECK_INT(v[1].nholders, 1);	/* group node only: no cdev */
	if (v[1].nholders == 1)
		CHECK_INT(v[1].holders[0].pid, 100);
	host_devs_free(v, 2);
	fh_teardown();
}

/* Gone between the fd link and its comm: it holds nothing any more. */
TEST(host_holders_process_gone_before_comm)
{
	struct host_dev v = { .handle = "pci/0000:01:00.2", .has_group = true,
			     .group = 7 };

	fh_setup();
	fh_fd(600, 3, "/dev/vfio/7");	/* no comm file */
	fh_pid_dir(601);
	fh_comm(602, "alive");
	fh_fd(602, 3, "/dev/vfio/7");
	CHECK_INT(host_find_holders(&v, 1), 0);
	CHECK_INT(v.nholders, 1);
	if (v.nholders == 1)
		CHECK_INT(v.holders[0].pid, 602);
	host_devs_free(&v, 1);
	fh_teardown();
}

/* A process names itself: its name must not break the output's lines. */
TEST(host_holders_comm_sanitised)
{
	struct host_dev v = { .handle = "pci/0000:01:00.2", .has_group = true,
			     .group = 7 };

	fh_setup();
	fh_comm(700, "ev\til\x1b[2J");
	fh_fd(700, 3, "/dev/vfio/7");
	CHECK_INT(host_find_holders(&v, 1), 0);
	CHECK_INT(v.nholders, 1);
	if (v.nholders == 1)
		CHECK_STR(v.holders[0].comm, "ev?il?[2J");
	host_devs_free(&v, 1);
	fh_teardown();
}

/*
 * Another user's process (EACCES on its fd directory) is skipped. As
 * root, the scan runs with the effective uid of nobody, as an
 * unprivileged "vf show" would (the saved uid brings root back).
 */
TEST(host_holders_unreadable_process)
{
	struct host_dev v = { .handle = "pci/0000:01:00.2", .has_group = true,
			     .group = 7 };
	bool was_root = geteuid() == 0;
	int ret;

	fh_setup();
	fh_comm(800, "theirs");
	fh_fd(800, 3, "/dev/vfio/7");
	fh_comm(801, "mine");
	fh_fd(801, 3, "/dev/vfio/7");
	chmod(fh_path("proc/800/fd"), 0);
	if (was_root && seteuid(65534) < 0) {
		unit_skip("cannot drop root for the scan");
		fh_teardown();
		return;
	}
	ret = host_find_holders(&v, 1);
	if (was_root && seteuid(0) < 0)
		abort();
	CHECK_INT(ret, 0);
	CHECK_INT(v.nholders, 1);
	if (v.nholders == 1)
		CHECK_INT(v.holders[0].pid, 801);
	host_devs_free(&v, 1);
	fh_teardown();
}

TEST(host_holders_without_proc)
{
	struct host_dev v = { .handle = "pci/0000:01:00.2" };

	fh_setup();
	fh_remove("proc");
	CHECK(host_find_holders(&v, 1) < 0);
	CHECK_INT(v.nholders, 0);
	/* Nothing to look for: /proc is not even opened. */
	CHECK_INT(host_find_holders(NULL, 0), 0);
	fh_teardown();
}

/* An mdev: its UUID names it, its cdev is under /sys/bus/mdev/devices. */
TEST(host_holders_mdev)
{
	struct host_dev v[2] = {
		{ .handle = "6eba5b41-176e-40db-b93e-7f18e04e0b93", .has_group = true,
		  .group = 31 },
		{ .handle = "00000100-0000-0000-0000-000000000001", .has_group = true,
		  .group = 32 },
	};

	fh_setup();
	fh_mdev("6eba5b41-176e-40db-b93e-7f18e04e0b93", "vfio4");
	fh_mdev("00000100-0000-0000-0000-000000000001", NULL);
	fh_comm(100, "qemu");
	fh_fd(100, 3, "/dev/vfio/devices/vfio4");
	fh_comm(200, "other");
	fh_fd(200, 3, "/dev/vfio/32");
	fh_fd(200, 4, "/dev/vfio/devices/");	/* no name: nobody's */
	CHECK_INT(host_find_holders(v, 2), 0);
	CHECK_STR(v[0].cdev, "vfio4");
	CHECK_INT(v[0].nholders, 1);
	if (v[0].nholders == 1)
		CHECK_INT(v[0].holders[0].pid, 100);
	CHECK_STR(v[1].cdev, "");
	CHECK_INT(v[1].nholders, 1);
	if (v[1].nholders == 1)
		CHECK_INT(v[1].holders[0].pid, 200);
	host_devs_free(v, 2);
	fh_teardown();
}

/*
 * Many devices, in no order, some sharing a group: each open file goes to
 * exactly the devices it belongs to (the lookup is a binary search).
 */
TEST(host_holders_many)
{
	enum { N = 3000 };
	struct host_dev *v = calloc(N, sizeof(*v));
	char names[N][16];
	int i;

	fh_setup();
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "m%d", i);
		v[i].handle = names[i];
		/* groups 0..1499 twice, interleaved and reversed */
		v[i].has_group = i % 7 != 3;
		v[i].group = (i % 2 ? i / 2 : N / 2 - 1 - i / 2);
	}
	fh_comm(10, "a");
	fh_fd(10, 3, "/dev/vfio/0");
	fh_fd(10, 4, "/dev/vfio/1499");
	fh_comm(11, "b");
	fh_fd(11, 3, "/dev/vfio/noiommu-700");
	fh_fd(11, 4, "/dev/vfio/1500");		/* nobody's */
	CHECK_INT(host_find_holders(v, N), 0);
	for (i = 0; i < N; i++) {
		size_t want = v[i].has_group &&
			      (v[i].group == 0 || v[i].group == 1499 ||
			       v[i].group == 700);

		if (v[i].nholders != want)
			unit_fail(__FILE__, __LINE__, "device %d (group %u): %zu holders, want %zu",
				  i, v[i].group, v[i].nholders, want);
	}
	host_devs_free(v, N);
	free(v);
	fh_teardown();
}

TEST(host_pci_is_vf)
{
	fake_tree();
	CHECK(pci_is_vf("0000:01:00.1"));
	CHECK(pci_is_vf("0000:01:00.3"));
	CHECK(!pci_is_vf("0000:01:00.0"));
	CHECK(!pci_is_vf("0000:09:00.0"));	/* no such device */
	CHECK(!pci_is_vf("../devices/0000:01:00.1"));	/* not a name */
	fh_teardown();
}

/*
 * The VFIO driver of a VF, as libvirt chooses it: the vfio_pci: alias of
 * modules.alias that matches its modalias with the fewest '*' wins.
 */
TEST(host_vfio_best_module)
{
	char mod[64], drv[64];

	fh_setup();
	fh_pci("0000:01:00.1", 1, NULL);
	fh_write("sys/bus/pci/devices/0000:01:00.1/modalias",
		 "pci:v00008086d0000E20Bsv00008086sd00001100bc03sc00i00\n");
	fh_mkdir("proc/sys/kernel");
	fh_write("proc/sys/kernel/osrelease", "7.3.4+deb13-amd64\n");
	/* no modules.alias: vfio-pci */
	CHECK_INT(vfio_best_module("0000:01:00.1", mod, sizeof(mod)), 0);
	CHECK_STR(mod, "vfio_pci");
	fh_mkdir("lib/modules/7.3.4+deb13-amd64");
	fh_write("lib/modules/7.3.4+deb13-amd64/modules.alias",
		 "# Aliases extracted from modules themselves.\n"
		 "alias pci:v00008086d0000E20Bsv*sd*bc03sc*i* xe\n"
		 "alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
		 "alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* xe_vfio_pci\n"
		 "alias vfio_pci:v00008086d0000E20Bsv00008086sd*bc*sc*i* better_vfio_pci\n"
		 "alias vfio_pci:v000015B3d00001021sv*sd*bc*sc*i* mlx5_vfio_pci\n");
	CHECK_INT(vfio_best_module("0000:01:00.1", mod, sizeof(mod)), 0);
	CHECK_STR(mod, "better_vfio_pci");
	/* another id: only vfio-pci's own alias matches */
	fh_write("sys/bus/pci/devices/0000:01:00.1/modalias",
		 "pci:v00008086d0000A7A0sv00008086sd00001100bc03sc00i00\n");
	CHECK_INT(vfio_best_module("0000:01:00.1", mod, sizeof(mod)), 0);
	CHECK_STR(mod, "vfio_pci");
	CHECK_INT(vfio_best_module("0000:01:00.2", mod, sizeof(mod)), -ENOENT);

	/* a loaded module's PCI driver: its drivers/pci:NAME entry */
	fh_mkdir("sys/module/xe_vfio_pci/drivers/pci:xe-vfio-pci");
	CHECK_INT(vfio_module_driver("xe_vfio_pci", drv, sizeof(drv)), 0);
	CHECK_STR(drv, "xe-vfio-pci");
	/* not loaded, and a fake root loads nothing */
	CHECK_INT(vfio_module_driver("mlx5_vfio_pci", drv, sizeof(drv)), -ENOENT);
	vfio_driver_module("xe-vfio-pci", mod, sizeof(mod));
	CHECK_STR(mod, "xe_vfio_pci");
	fh_teardown();
}

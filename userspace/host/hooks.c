// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - see hooks.h
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/bootloader.h"
#include "host/hooks.h"
#include "output/output.h"

void hs_hooks_for(const char *path, struct hs_hooks *h)
{
	struct boot_cfg cfg;

	if (!bootcfg_detect(&cfg) && !strcmp(path, cfg.path))
		h->boot = cfg.hook;
	else if (!strcmp(path, "/etc/default/grub"))
		h->boot = "update-grub";
	else if (!strcmp(path, "/etc/kernel/cmdline"))
		h->boot = "proxmox-boot-tool refresh";
	else
		h->initramfs = true;
}

static int run_cmd(const char *cmd)
{
	char *argv[4] = { NULL }, *copy = strdup(cmd), *save = NULL;
	int i = 0, status;
	pid_t pid;

	if (!copy)
		return -1;
	for (argv[i] = strtok_r(copy, " ", &save); argv[i] && i < 2;)
		argv[++i] = strtok_r(NULL, " ", &save);
	pr_info("running: %s", cmd);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	free(copy);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		pr_err("'%s' failed; run it by hand before rebooting", cmd);
		return -1;
	}
	return 0;
}

int hs_hooks_finish(const struct hs_hooks *h, bool run)
{
	int ret = 0;

	if (!h->initramfs && !h->boot)
		return 0;
	if (!run) {
		print_string(PRINT_FP, NULL,
			     "Now run (as root), then reboot: %s", "");
		open_array("commands");
		if (h->initramfs)
			print_string(PRINT_ANY, NULL, "%s", "update-initramfs -u");
		if (h->initramfs && h->boot)
			print_string(PRINT_FP, NULL, "%s", " && ");
		if (h->boot)
			print_string(PRINT_ANY, NULL, "%s", h->boot);
		close_array();
		print_nl();
		return 0;
	}
	if (h->initramfs && run_cmd("update-initramfs -u"))
		ret = -1;
	if (!ret && h->boot && run_cmd(h->boot))
		ret = -1;
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An LD_PRELOAD shim that lets udev's scsi_id read a made-up SCSI disk, so
 * that test-vpd.c compares mpio's WWIDs with scsi_id's ID_SERIAL for the same
 * pages. scsi_id's SG_IO INQUIRY commands are answered from the files of
 * $MPIO_SHIM_DIR, laid out as the disk's sysfs directory: vendor and model
 * (the standard INQUIRY reply), vpd_pg83 and vpd_pg80 (those pages; page 0
 * lists the ones that exist, a missing one reads as zeros). Only the SG_IO
 * ioctl is taken over; its version 4 is refused, so scsi_id falls back to
 * version 3. Built without the sanitizers: it runs inside scsi_id.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define INQUIRY_OP 0x12
#define STD_INQUIRY_LEN 36

int ioctl(int fd, unsigned long request, ...);

/* Up to max bytes of $MPIO_SHIM_DIR/name into buf: the count, or -1 if it cannot be read. */
static ssize_t read_attr(const char *name, unsigned char *buf, size_t max)
{
	const char *dir = getenv("MPIO_SHIM_DIR");
	char path[4096];
	ssize_t n;
	int fd;

	if (!dir || snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, max);
	close(fd);
	return n;
}

/* A sysfs vendor or model line into its space padded INQUIRY field. */
static void put_field(const char *name, unsigned char *field, size_t width)
{
	unsigned char buf[64];
	ssize_t n = read_attr(name, buf, sizeof(buf));

	memset(field, ' ', width);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 0)
		memcpy(field, buf, (size_t)n < width ? (size_t)n : width);
}

static size_t std_inquiry(unsigned char *out)
{
	out[0] = 0x00; /* disk */
	out[2] = 0x06; /* SPC-4 */
	out[3] = 0x02; /* response data format */
	out[4] = STD_INQUIRY_LEN - 5;
	put_field("vendor", out + 8, 8);
	put_field("model", out + 16, 16);
	memcpy(out + 32, "0001", 4);
	return STD_INQUIRY_LEN;
}

static size_t vpd_page(unsigned page, unsigned char *out, size_t max)
{
	unsigned char probe;
	ssize_t n;

	if (page == 0) {
		size_t len = 4;

		out[1] = 0x00;
		out[len++] = 0x00;
		if (read_attr("vpd_pg80", &probe, 1) > 0)
			out[len++] = 0x80;
		if (read_attr("vpd_pg83", &probe, 1) > 0)
			out[len++] = 0x83;
		out[3] = (unsigned char)(len - 4);
		return len;
	}
	n = read_attr(page == 0x80 ? "vpd_pg80" : page == 0x83 ? "vpd_pg83" : "none", out, max);
	return n > 0 ? (size_t)n : 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	int (*real)(int, unsigned long, ...);
	unsigned char reply[4 + 0xffff];
	struct sg_io_hdr *h;
	const unsigned char *cdb;
	size_t n;
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (request != SG_IO) {
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
		return real(fd, request, arg);
	}
	h = arg;
	if (h->interface_id != 'S') {
		errno = EINVAL;
		return -1;
	}
	cdb = h->cmdp;
	if (h->cmd_len < 6 || cdb[0] != INQUIRY_OP || h->dxfer_direction != SG_DXFER_FROM_DEV) {
		errno = EINVAL;
		return -1;
	}
	memset(reply, 0, sizeof(reply));
	n = cdb[1] & 1 ? vpd_page(cdb[2], reply, sizeof(reply)) : std_inquiry(reply);
	memset(h->dxferp, 0, h->dxfer_len);
	memcpy(h->dxferp, reply, n < h->dxfer_len ? n : h->dxfer_len);
	h->status = h->masked_status = h->msg_status = 0;
	h->host_status = h->driver_status = 0;
	h->sb_len_wr = 0;
	h->resid = n < h->dxfer_len ? (int)(h->dxfer_len - n) : 0;
	return 0;
}

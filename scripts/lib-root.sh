# Debian roots made with debootstrap, and commands run inside them: shared by
# scripts/build-root (cached build roots) and tests/fresh/run (a new root per
# run). Sourced, not run. Needs root.
#
#   root_bootstrap SUITE ROOT   debootstrap --variant=minbase from this
#                               machine's apt mirror, then root_prepare
#   root_mount ROOT             /proc, /sys, /dev and /dev/pts from the host
#   root_release ROOT           kill what still runs in ROOT, unmount all under it
#   root_run ROOT DIR CMD...    run CMD in DIR inside ROOT, with a clean environment
#
# Where a Debian kernel's modules are built: here when this machine has the
# kernel's headers and the gcc release that built it (CONFIG_GCC_VERSION),
# else in the build root (scripts/build-root) of the suite that ships it.
#   suite_kernel SUITE          the suite's kernel: this machine's own
#                               (scripts/kernel-version) for its suite, else
#                               its build root's (the root is made if missing)
#   kernel_where KVER [SUITE]   "here", else SUITE, else the suite of the
#                               build root that has KVER's headers
#   kernel_run WHERE CMD...     run CMD at the top of this tree, here or in
#                               that suite's build root
#
# Where a Debian kernel boots from (tests/vm/run): its image and modules.
#   root_suite_of KVER          the suite of the cached build root that has
#                               KVER (its headers, image and modules)
#   kernel_boot_root KVER       / when this machine has KVER's image and
#                               modules, else the build root that has them;
#                               else fails naming the command that makes it

root_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Where scripts/build-root caches its roots, one directory per suite.
root_cache=${MPIO_ROOTS:-/var/cache/mpio/roots}

# root_prepare SUITE ROOT: what every root needs before apt runs in it.
root_prepare() {
	local suite=$1 root=$2
	# Package scripts must not start services in the chroot: they would run
	# on the host's kernel and devices.
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" &&
		chmod 0755 "$root/usr/sbin/policy-rc.d" || return 1
	if [ "$suite" = sid ] || [ "$suite" = unstable ]; then
		# This machine's mirror serves sid with a Release file whose
		# Valid-Until has passed (sid is not re-signed as often as the
		# mirror is synced); apt refuses such a file. The signature is
		# still checked. Only sid: a stable suite's stale Release is an error.
		echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/50mpio-sid-valid-until" ||
			return 1
	fi
}

root_bootstrap() {
	local suite=$1 root=$2 mirror
	mirror=$("$root_lib_dir/apt-mirror") || return 1
	echo "root: debootstrap --variant=minbase $suite $root $mirror"
	debootstrap --variant=minbase "$suite" "$root" "$mirror" || return 1
	root_prepare "$suite" "$root"
}

# Everything mounted under ROOT, deepest first.
root_mounts() {
	awk -v r="$1" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

root_mount() {
	local root=$1
	mount -t proc proc "$root/proc" &&
		mount -t sysfs sysfs "$root/sys" &&
		mount --bind /dev "$root/dev" &&
		mount --bind /dev/pts "$root/dev/pts"
}

root_release() {
	local root=$1 p m left
	# Processes left in the chroot (a daemon a package started, a VM).
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	for m in $(root_mounts "$root"); do
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done
	left=$(root_mounts "$root")
	[ -z "$left" ] && return 0
	echo "root: still mounted under $root: $left" >&2
	return 1
}

root_run() {
	local root=$1 dir=$2
	shift 2
	chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive \
		/bin/bash -c 'cd "$1" && shift && exec "$@"' bash "$dir" "$@"
}

suite_kernel() {
	local codename
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	if [ "$1" = "$codename" ]; then
		"$root_lib_dir/kernel-version"
	else
		"$root_lib_dir/build-root" --kernel "$1"
	fi
}

kernel_where() {
	local kver=$1 suite=${2:-} gccv
	gccv=$(sed -n 's/^CONFIG_GCC_VERSION=\([0-9]*\)$/\1/p' \
		"/usr/src/linux-headers-$kver/include/config/auto.conf" 2>/dev/null || true)
	if [ -n "$gccv" ] && [ "$((gccv / 10000))" = "$(gcc -dumpversion | cut -d. -f1)" ]; then
		echo here
	elif [ -n "$suite" ]; then
		echo "$suite"
	else
		"$root_lib_dir/build-root" --suite-of "$kver"
	fi
}

root_suite_of() {
	local h
	for h in "$root_cache"/*/usr/src/linux-headers-"$1"; do
		[ -f "$h/Makefile" ] || continue
		h=${h#"$root_cache"/}
		echo "${h%%/*}"
		return 0
	done
	return 1
}

kernel_boot_root() {
	local kver=$1 suite root
	if [ -r "/boot/vmlinuz-$kver" ] && [ -d "/lib/modules/$kver/kernel" ]; then
		echo /
		return 0
	fi
	if ! suite=$(root_suite_of "$kver"); then
		# Debian's kernel versions name the release they were built for;
		# sid's carry the number of the next release.
		case $kver in
		*+deb13-*) suite=trixie ;;
		*+deb14-*) suite=sid ;;
		*) suite=SUITE ;;
		esac
		echo "kernel $kver: not installed here (/boot/vmlinuz-$kver) and in no build root" \
			"in $root_cache; make the root of the suite that ships it: scripts/build-root $suite" >&2
		return 1
	fi
	root=$root_cache/$suite
	if [ ! -r "$root/boot/vmlinuz-$kver" ] || [ ! -f "$root/lib/modules/$kver/modules.dep" ]; then
		echo "kernel $kver: the $suite root ($root) has its headers but not its image and" \
			"modules; make it again: scripts/build-root --refresh $suite" >&2
		return 1
	fi
	echo "$root"
}

kernel_run() {
	local where=$1
	shift
	if [ "$where" = here ]; then
		(cd "$root_lib_dir/.." && "$@")
	else
		(cd "$root_lib_dir/.." && "$root_lib_dir/build-root" "$where" "$@")
	fi
}

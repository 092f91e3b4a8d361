#!/bin/bash
# The Debian packages (debian/): `dpkg-buildpackage -us -uc -b` in a copy of
# this tree (its files as they are, committed or not, but not the ignored
# ones: the tree itself is left as it was), then lintian on the .changes
# (-I -E --pedantic: no error and no warning; the rest is printed), then what
# the .debs hold: every file `make install PREFIX=/usr` installs, the key
# files by name, the module's DKMS tree as `make install-dkms` makes it, the
# maintainer scripts' DKMS and systemd steps, and a supported-devices list
# that claims nothing; and that a command-line CFLAGS keeps the build's own
# flags. A host test, not a VM test; needs the build dependencies and
# lintian (scripts/install-deps). 70 to 130 s on a loaded 2-core host.
#
#   tests/debian/test-debs.sh [--keep DIR]    (--keep: build in DIR, keep it)
#
# DEB_BUILD_OPTIONS=nocheck: the build's own test step runs the unit tests,
# which make check runs anyway. Ends with "N passed, N failed".
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${1:-}" = --keep ]; then
	tmp=$2
	mkdir -p "$tmp" || exit 1
else
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
fi
passed=0 failed=0
check() {
	local what=$1
	shift
	if "$@"; then
		echo "PASS $what"
		passed=$((passed + 1))
	else
		echo "FAIL $what"
		failed=$((failed + 1))
	fi
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}
t0=$(date +%s)

# The copy: tracked files that exist and new ones git does not ignore.
rm -rf "$tmp/mpio"
mkdir -p "$tmp/mpio"
(cd "$src" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -xf - -C "$tmp/mpio"
check "copy of the tree" test -f "$tmp/mpio/debian/control"

echo "### dpkg-buildpackage -us -uc -b"
b0=$(date +%s)
(cd "$tmp/mpio" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) \
	>"$tmp/build.log" 2>&1
rc=$?
[ "$rc" = 0 ] || tail -n 40 "$tmp/build.log"
check "dpkg-buildpackage -us -uc -b ($(($(date +%s) - b0)) s)" test "$rc" = 0
[ "$rc" = 0 ] || finish
changes=$(ls "$tmp"/mpio_*.changes)
deb=$(ls "$tmp"/mpio_*.deb)
dkms=$(ls "$tmp"/dm-mpio-dkms_*.deb)
for f in "$tmp"/*.deb; do printf '   %s\n' "${f##*/}"; done

echo "### lintian -I -E --pedantic"
lintian -I -E --pedantic "$changes" >"$tmp/lintian.log" 2>&1
sed 's/^/   /' "$tmp/lintian.log"
check "lintian: no error" sh -c "! grep -q '^E: ' '$tmp/lintian.log'"
check "lintian: no warning" sh -c "! grep -q '^W: ' '$tmp/lintian.log'"
check "lintian: the hardening flags reached every binary" \
	sh -c "! grep -q 'hardening-' '$tmp/lintian.log'"

echo "### what the packages hold"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$tmp/mpio.list"
dpkg-deb -c "$dkms" | awk '{ print $6 }' | sed 's|^\./|/|' >"$tmp/dkms.list"
has() { grep -qxF -- "$2" "$tmp/$1.list"; }
for f in /usr/sbin/mpiod /usr/sbin/multipathctl /usr/lib/tmpfiles.d/mpio.conf \
	/usr/share/man/man8/mpiod.8.gz /usr/share/man/man8/multipathctl.8.gz \
	/usr/share/man/man5/mpio.conf.5.gz /usr/share/man/man5/mpio-supported-devices.5.gz \
	/usr/share/dbus-1/system.d/org.mpio.Manager1.conf /usr/share/polkit-1/actions/org.mpio.policy \
	/usr/share/bash-completion/completions/multipathctl /etc/mpio/mpio.conf \
	/usr/share/mpio/supported-devices /usr/share/doc/mpio/README.Debian.gz; do
	check "mpio: $f" has mpio "$f"
done
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
udevdir=$(pkg-config --variable=udevdir udev)
check "mpio: $unitdir/mpiod.service (systemd.pc)" has mpio "$unitdir/mpiod.service"
check "mpio: $udevdir/rules.d/59-mpio.rules (udev.pc)" has mpio "$udevdir/rules.d/59-mpio.rules"
check "mpio: no library, no header (libmp is linked in)" \
	sh -c "! grep -qE '\\.so|/include/' '$tmp/mpio.list'"
check "mpio: no /etc/mpio/supported-devices (the postinst makes it)" \
	sh -c "! grep -qx /etc/mpio/supported-devices '$tmp/mpio.list'"
dpkg-deb -f "$deb" Conflicts >"$tmp/conflicts"
check "mpio: Conflicts: multipath-tools" grep -qw multipath-tools "$tmp/conflicts"

# Every file make install puts in place is in a package: man pages
# compressed, the module's modules-load.d file in dm-mpio-dkms, the
# supported-devices list under /usr/share/mpio.
make -s -C "$tmp/mpio" install DESTDIR="$tmp/stage" PREFIX=/usr >"$tmp/install.log" 2>&1 ||
	cat "$tmp/install.log"
missing=$(cd "$tmp/stage" && find . ! -type d | sed 's|^\.||' | while read -r f; do
	case $f in
	*/man/*) f=$f.gz ;;
	/etc/mpio/supported-devices) f=/usr/share/mpio/supported-devices ;;
	esac
	grep -qxF -- "$f" "$tmp/mpio.list" "$tmp/dkms.list" || echo "$f"
done)
[ -z "$missing" ] || echo "   not packaged: $missing"
check "every file of make install is in a package" test -z "$missing"
check "make install installed something" test -x "$tmp/stage/usr/sbin/mpiod"

# dm-mpio-dkms: the tree make install-dkms makes, and the dkms steps.
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$src/kernel/dkms.conf")
make -s -C "$tmp/mpio/kernel" install-dkms DESTDIR="$tmp/dkms-stage"
missing=$(cd "$tmp/dkms-stage" && find . -type f | sed 's|^\.||' | while read -r f; do
	has dkms "$f" || echo "$f"
done)
[ -z "$missing" ] || echo "   not packaged: $missing"
check "dm-mpio-dkms: every file of make install-dkms" test -z "$missing"
for f in dkms.conf Kbuild mpio-target.c mpio.h; do
	check "dm-mpio-dkms: /usr/src/dm-mpio-$ver/$f" has dkms "/usr/src/dm-mpio-$ver/$f"
done
n=0
for f in "$src"/kernel/*.[ch]; do
	case $f in *.mod.c) ;; *) n=$((n + 1)) ;; esac
done
check "dm-mpio-dkms: the $n kernel/*.[ch]" test \
	"$(grep -cE '^/usr/src/dm-mpio-[^/]+/[^/]+\.[ch]$' "$tmp/dkms.list")" = "$n"
check "dm-mpio-dkms: /usr/lib/modules-load.d/dm-mpio.conf" has dkms /usr/lib/modules-load.d/dm-mpio.conf
check "dm-mpio-dkms: README.Debian (the Secure Boot note)" \
	has dkms /usr/share/doc/dm-mpio-dkms/README.Debian.gz
dpkg-deb -e "$dkms" "$tmp/dkms-ctl"
check "dm-mpio-dkms: postinst runs DKMS for dm-mpio $ver" sh -c \
	"grep -qx DKMS_NAME=dm-mpio '$tmp/dkms-ctl/postinst' && grep -qx DKMS_VERSION=$ver '$tmp/dkms-ctl/postinst'"
check "dm-mpio-dkms: Depends: dkms" sh -c "dpkg-deb -f '$dkms' Depends | grep -qw dkms"

# mpio's maintainer scripts and the list they install.
dpkg-deb -e "$deb" "$tmp/mpio-ctl"
check "mpio: postinst makes /etc/mpio/supported-devices before mpiod starts" \
	awk '/cp \/usr\/share\/mpio\/supported-devices/ { c = NR } /deb-systemd-invoke/ && !s { s = NR }
		END { exit !(c && s && c < s) }' "$tmp/mpio-ctl/postinst"
check "mpio: postinst enables mpiod.service" grep -q 'deb-systemd-helper.*enable.*mpiod.service' \
	"$tmp/mpio-ctl/postinst"
check "mpio: postinst makes /run/mpio (tmpfiles)" grep -q 'systemd-tmpfiles.*mpio.conf' \
	"$tmp/mpio-ctl/postinst"
dpkg-deb -x "$deb" "$tmp/mpio-root"
sd=$tmp/mpio-root/usr/share/mpio/supported-devices
check "mpio: the shipped supported-devices list claims nothing" \
	sh -c "! grep -v '^[[:space:]]*#' '$sd' | grep -q '[^[:space:]]'"
# shellcheck disable=SC2317 # called through check
entries_commented() {
	local e
	while IFS= read -r e; do
		grep -qxF -- "#$e" "$sd" || { echo "   not in the shipped list: #$e"; return 1; }
	done < <(grep -v '^[[:space:]]*#' "$src/conf/supported-devices" | grep '[^[:space:]]')
}
check "mpio: ... and has each upstream entry, commented out" entries_commented

# One version: the package's, dkms.conf's and the programs' (libmp).
pkgver=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
libver=$(sed -n 's/^#define MPIO_VERSION "\(.*\)"$/\1/p' "$src/libmp/ctx.c")
check "one version: debian/changelog $pkgver, dkms.conf $ver, libmp $libver" \
	test "$pkgver" = "$ver" -a "$ver" = "$libver"

# A CFLAGS given on the command line adds to the build's own flags (the
# include paths, -D_GNU_SOURCE, the warnings): it once replaced them all.
check "make CFLAGS=-O0 keeps the build's own flags" \
	make -s -C "$tmp/mpio/libmp" -B bindings.o CFLAGS=-O0

echo "   test time: $(($(date +%s) - t0)) s"
finish

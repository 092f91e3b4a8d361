# shellcheck shell=bash
# Debian's multipath-tools in the guest, run from the private root that
# tests/bench/prepare-multipath-tools unpacks on the host (never installed:
# its udev rules would act in every VM). Used by coldstart.sh and
# tests/faults/lib-faults.sh.
#
#   MPT                          the private root (sbin/multipathd, lib/)
#   mpt_setup [DEFAULTS [MORE [VENDOR PRODUCT]]]
#                                link the plugins where multipathd looks for
#                                them, and write an /etc/multipath.conf that
#                                takes scsi_debug's disks alone (or VENDOR
#                                PRODUCT's): DEFAULTS are more lines of its
#                                defaults section, MORE more sections (e.g.
#                                devices); MPT_ALSO="VENDOR PRODUCT" takes
#                                that device too

MPT=$MPIO_SRC/tests/vm/out/cache/multipath-tools/root
# Where it all goes; a host test of mpt_setup may point these elsewhere.
MPT_CONF=${MPT_CONF:-/etc/multipath.conf}

mpt_setup() {
	# Its wwids and bindings files go there.
	mkdir -p "${MPT_STATE:-/etc/multipath}"
	# The plugins (checkers, prioritizers) are looked up in the compiled-in /lib/multipath.
	ln -sfn "$MPT/lib/multipath" "${MPT_PLUGINS:-/lib/multipath}"
	{
		printf 'defaults {\n\tuser_friendly_names no\n\tfind_multipaths off\n'
		[ -z "${1:-}" ] || printf '%s\n' "$1"
		printf '}\nblacklist {\n\tdevice {\n\t\tvendor ".*"\n\t\tproduct ".*"\n\t}\n}\n'
		printf 'blacklist_exceptions {\n\tdevice {\n\t\tvendor "%s"\n\t\tproduct "%s"\n\t}\n' \
			"${3:-Linux}" "${4:-scsi_debug}"
		# shellcheck disable=SC2086 # MPT_ALSO is "VENDOR PRODUCT"
		[ -z "${MPT_ALSO:-}" ] || printf '\tdevice {\n\t\tvendor "%s"\n\t\tproduct "%s"\n\t}\n' $MPT_ALSO
		printf '}\n'
		[ -z "${2:-}" ] || printf '%s\n' "$2"
	} >"$MPT_CONF"
}

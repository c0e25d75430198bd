#!/bin/sh
# What `make test` and `make bench` need on the host, and getting it.
#
#     tools/deps.sh [--check] [build|test|bench|all]
#
# Probes each need (a command, a file, a 32-bit compile) and names the
# Debian 12 package that provides it. When some are missing it installs
# them with apt-get (apt-get update first), as root or through sudo when
# sudo works without a password; otherwise, with --check, with
# CAIRN_NO_INSTALL=1, or on a host without apt-get, it stops with one
# line naming the exact command to run. "build" is what `make` alone
# needs (compiler, 32-bit libraries, Python). Exit status: 0 when everything
# is there (at the end), 2 when something is still missing.
#
# The Makefile runs it before `make test`, `make bench` and the other
# targets that boot QEMU; .ci/run runs it on a fresh machine.

set -u

check_only=${CAIRN_NO_INSTALL:-}
what=all
for a in "$@"; do
	case $a in
	--check) check_only=1 ;;
	build|test|bench|all) what=$a ;;
	*) echo "usage: tools/deps.sh [--check] [build|test|bench|all]" >&2; exit 64 ;;
	esac
done

has() { command -v "$1" >/dev/null 2>&1; }
has_chromium() { has chromium || has chromium-browser; }

# Whether a 32-bit C program builds and links (gcc-multilib: the kernel
# links 32-bit libgcc, the host tests of the user library are i386
# programs), and whether this host runs it itself; if not, the 32-bit
# host tests run under qemu-i386 (qemu-user). Sets m32 and i386_runs.
probe_m32() {
	m32=1 i386_runs=1
	t=$(mktemp -d 2>/dev/null) || return
	printf 'int main(void) { return 0; }\n' > "$t/m32.c"
	if has gcc && gcc -m32 -o "$t/m32" "$t/m32.c" >/dev/null 2>&1; then
		m32=0
		"$t/m32" >/dev/null 2>&1 && i386_runs=0
	fi
	rm -rf "$t"
}

missing=""
need() {	# need <package> <probe...>: the package when the probe fails
	pkg=$1
	shift
	"$@" || case " $missing " in
		*" $pkg "*) ;;
		*) missing="$missing $pkg" ;;
	esac
}

probe_all() {
	missing=""
	need make has make
	need gcc has gcc
	need binutils has ld
	need binutils has objcopy
	probe_m32
	need gcc-multilib test "$m32" = 0
	need python3 has python3
	[ "$what" = build ] && { missing=${missing# }; return; }
	need qemu-system-x86 has qemu-system-i386
	need qemu-system-x86 has qemu-system-x86_64
	need git has git
	if [ "$what" != bench ]; then
		need ipxe-qemu test -f /usr/lib/ipxe/qemu/pxe-e1000.rom
		need lava-common test -d /usr/lib/python3/dist-packages/lava_common
		need grub-common has grub-mkrescue
		need grub-pc-bin test -d /usr/lib/grub/i386-pc
		need xorriso has xorriso
		need mtools has mformat
		need chromium has_chromium	# the dashboard's check in a browser
		if [ "$m32" = 0 ] && [ "$i386_runs" != 0 ]; then
			need qemu-user has qemu-i386
		fi
	fi
	if [ "$what" != test ]; then
		need gnuplot-nox has gnuplot
	fi
	missing=${missing# }
}

probe_all
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo_cmd=""
elif has sudo && sudo -n true >/dev/null 2>&1; then
	sudo_cmd="sudo "
else
	sudo_cmd="sudo "
	check_only=1		# no way to install without asking
fi
install_cmd="${sudo_cmd}apt-get install -y $missing"
if ! has apt-get; then
	echo "cairn: missing for make $what: $missing (Debian 12 package names;" \
		"this host has no apt-get: install their equivalents)" >&2
	exit 2
fi
if [ -n "$check_only" ]; then
	echo "cairn: missing for make $what: $missing; install with:" \
		"${sudo_cmd}apt-get update && $install_cmd" >&2
	exit 2
fi

echo "cairn: installing what make $what needs: $missing" >&2
# A mirror in mid-sync can fail one index; what is needed usually still
# resolves, and the install says so if not.
${sudo_cmd}apt-get update -qq >&2 ||
	echo "cairn: apt-get update reported errors; going on" >&2
${sudo_cmd}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends $missing >&2
probe_all
if [ -n "$missing" ]; then
	echo "cairn: still missing for make $what after apt-get: $missing;" \
		"install with: ${sudo_cmd}apt-get install -y $missing" >&2
	exit 2
fi
echo "cairn: installed." >&2
exit 0

# Cairn: the kernel image, the host unit tests, and the lab's entry points.
# `make help` lists the targets.

CC       ?= gcc
LD       := ld
OBJCOPY  := objcopy
HOSTCC   ?= cc
PYTHON   ?= python3
QEMU     ?= qemu-system-i386

# `make SANITY=1 ...`: VM built with its sanity checks (-DVM_SANITY,
# vm/sanity.h), everything in a build directory of its own so that the
# two builds never share objects. `make test` builds that one too, for
# its sanity boot.
SANITY   ?=
ifeq ($(SANITY),1)
BUILD    := build-sanity
else
BUILD    := build
endif
SANITY_DIR := $(if $(filter 1,$(SANITY)),$(BUILD),$(BUILD)-sanity)

# Overridable knobs for run/debug/bench.
SMP      ?= 2
MEM      ?= 128
CMDLINE  ?=
BOOTS    ?=	# empty: 5 boots per real-time series, 1 for icount

# Before a target that builds or boots: tools/deps.sh installs what the
# host lacks (Debian packages, through apt-get as root or sudo) or stops
# with the one apt-get command to run. Once per make run: sub-makes and
# CAIRN_DEPS_DONE=1 skip it.
DEPS_GOALS := all kernel user sanity-user test test-vm test-hostile fuzz bench \
	bench-history bench-peer bisect run debug netboot iso
DEPS_WANT  := $(filter $(DEPS_GOALS),$(or $(MAKECMDGOALS),all))
ifneq ($(DEPS_WANT),)
ifeq ($(CAIRN_DEPS_DONE),)
DEPS_FOR   := $(if $(filter test%,$(DEPS_WANT)),$(if $(filter bench%,$(DEPS_WANT)),all,test),$(if $(filter bench% bisect,$(DEPS_WANT)),bench,$(if $(filter fuzz run debug netboot iso,$(DEPS_WANT)),test,build)))
DEPS_RC    := $(shell sh tools/deps.sh $(DEPS_FOR) >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error the host lacks what 'make $(DEPS_WANT)' needs: see the line above)
endif
export CAIRN_DEPS_DONE := 1
endif
endif

KERNEL   := $(BUILD)/kernel.elf

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @echo "  $(1)	$(2)"
endif
GEN      := $(BUILD)/gen

# Target code: 32-bit, freestanding, no FPU/SIMD state in the kernel.
# -march=i586: the kernel and every user program run on a Pentium (no
# cmov, no SSE); code that uses a later instruction (sysenter, fxsave,
# lfence) asks CPUID first. -mtune=generic keeps the schedule of the
# i686 build the benchmarks were measured with.
KCFLAGS  := -m32 -march=i586 -mtune=generic -std=gnu11 -O2 -g \
	-ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(CC) -m32 -print-file-name=include) \
	-fno-pic -fno-pie -fno-stack-protector -fno-strict-aliasing \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-I. -Iinclude -I$(GEN) -MMD -MP
KASFLAGS := -m32 -g -I. -Iinclude -I$(GEN) -MMD -MP -Wa,--divide
LIBGCC   := $(shell $(CC) -m32 -print-libgcc-file-name)

# The pre-init: runs with paging off, linked low, every symbol renamed.
# Built for the 386: it runs before anyone asked what the CPU can do, and
# must live long enough to say what it lacks (boot/cpucheck.c).
UNPAGED_CFLAGS := $(filter-out -march=%,$(KCFLAGS)) -march=i386
UNPAGED_SRCS := boot/multiboot.S boot/pre_init.c boot/cpucheck.c boot/mb_parse.c \
	kernel/lib/memlist.c kernel/lib/string.c
UNPAGED_OBJS := $(patsubst %,$(BUILD)/unpaged/%.o,$(subst /,_,$(basename $(UNPAGED_SRCS))))

# The high kernel.
KERNEL_SRCS := $(wildcard kernel/*.c kernel/lib/*.c kernel/system/*.c \
	kernel/arch/i386/*.c kernel/arch/i386/*.S smp/*.c \
	bench/kern/*.c tests/guest/*.c lib/elf/*.c)
KERNEL_SRCS := $(filter-out kernel/arch/i386/asm-offsets.c,$(KERNEL_SRCS))
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS))

.PHONY: all kernel user sanity-user test test-vm test-hostile bench plot breakdown netboot collect lava-job \
	compare continuous bench-history bisect fuzz changepoints report dashboard bench-peer \
	run debug gdb probe fixtures disasm iso clean help check-contract
all: check-contract kernel user

kernel: $(KERNEL)

# What the kernel and VM must agree on (include/cairn/layout.h,
# include/cairn/arch/i386/mmu.h) is defined once: the build fails when
# another file defines one of those names again.
check-contract:
	$(Q)$(PYTHON) tools/check_contract.py >/dev/null

help:
	@echo "Cairn targets:"
	@echo "  make              build $(KERNEL), VM and the user programs"
	@echo "  make test         host unit tests + in-guest tests (smp 1-255, no ACPI, Pentium,"
	@echo "                    486 refused, 3 and 5 GiB, GRUB CD, bad command lines, syscall CPU,"
	@echo "                    VM's sanity build, fault dumps, hostile suite, 1M fuzzer"
	@echo "                    calls, iPXE netboot, lab unit tests); last line"
	@echo "                    'N passed, N failed'"
	@echo "  make test-vm      only the VM server's and PM's in-guest tests"
	@echo "                    (tests/user/vmtest.c, -smp 2 and 1, 64 MiB)"
	@echo "  make test-hostile only the hostile suite: attacks by an ordinary process"
	@echo "                    (tests/user/hostile*.c: -smp 2 and 1, fpu=eager/lazy, EPYC)"
	@echo "  make fuzz         random calls by ordinary processes until something breaks"
	@echo "                    (SEED=1 CALLS=1000000 SMP=2 PROCS=3 [CHUNK= SERIES=tcg TRACE=n"
	@echo "                    RECORD=1]); deterministic under icount: a failure prints"
	@echo "                    the command that replays it"
	@echo "  make bench        boot the benchmark suite in QEMU (icount always, KVM when a"
	@echo "                    probe boot shows it works) and store results in results/"
	@echo "  make plot         plot every metric across commits (results/plots/), and"
	@echo "                    each <metric>.n<N> family against N (vm.region_lookup)"
	@echo "  make bench-peer   Linux in the same QEMU: the Cairn/Linux table (BENCHMARKS.md)"
	@echo "  make compare A=rev B=rev   medians, CIs, B/A, tests per metric (ONLY_CHANGED=1:"
	@echo "                    changed ones only); exit 1 on a regression, 2 on an error"
	@echo "  make continuous   bench HEAD and BASE=HEAD~1, print the metrics that changed"
	@echo "                    with B/A; exit 1 on a regression"
	@echo "  make bench-history REVS=a..b   build and bench every commit (skips measured ones)"
	@echo "  make bisect METRIC=m GOOD=rev BAD=rev   the commit that moved a metric (icount)"
	@echo "  make changepoints  steps in each metric's history"
	@echo "  make report       results/report.md: regressions by size, targets met or"
	@echo "                    missed, latest figures, curves"
	@echo "  make dashboard    $(BUILD)/dashboard/index.html: every metric, its history"
	@echo "                    and change points, Cairn/Linux, machines (static HTML)"
	@echo "  make iso          $(BUILD)/cairn.iso: GRUB CD with test (default), bench, vmtest"
	@echo "                    and hostile boots (GRUB_TIMEOUT=3; needs grub-mkrescue)"
	@echo "  make netboot DEST=dir   stage kernel, modules and iPXE script for TFTP/HTTP"
	@echo "                    (KIND=bench|test)"
	@echo "  make collect LOG=f MACHINE=name   store a bare-metal serial log (series metal)"
	@echo "  make lava-job [DEST_URL=url]      write and check $(BUILD)/lava-job.yaml"
	@echo "  make breakdown OP=sendrec   where one operation's instructions go, by"
	@echo "                    function (OP: null, sendrec, notify, deliver, fault, cow, fork);"
	@echo "                    fault and cow (vm.pagefault.cow) also by phase of the fault"
	@echo "  make user         build VM and the user programs ($(BUILD)/user/)"
	@echo "  make sanity-user  build them with VM's sanity checks in $(SANITY_DIR)/"
	@echo "  SANITY=1          with any target: VM built with -DVM_SANITY (write-protected"
	@echo "                    slab pages, junk in freed memory, every request followed by"
	@echo "                    a check of all memory), in build-sanity/ unless BUILD= says"
	@echo "  make run          boot in QEMU with the console on this terminal"
	@echo "                    (SMP=$(SMP) MEM=$(MEM) CMDLINE='mode=test' USER=test|bench|vmtest|hostile|rs|none:"
	@echo "                    which user programs boot as modules; default $(USER))"
	@echo "  make debug        like run, but QEMU waits for gdb on :1234 (then 'make gdb')"
	@echo "  make gdb          gdb with kernel symbols, attached to 'make debug'"
	@echo "  make probe        say whether KVM can run this kernel here"
	@echo "  make fixtures     re-capture the ACPI fixtures in tests/fixtures from QEMU"
	@echo "  make disasm       disassemble the kernel to $(BUILD)/kernel.dis"
	@echo "  make clean        remove $(BUILD)/"

# --- kernel image -----------------------------------------------------------

$(KERNEL): $(UNPAGED_OBJS) $(KERNEL_OBJS) kernel/arch/i386/kernel.ld $(GEN)/layout.ld
	$(call say,LD,$@)
	$(Q)$(LD) -m elf_i386 -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
		-L $(GEN) -T kernel/arch/i386/kernel.ld -o $@ \
		$(UNPAGED_OBJS) $(KERNEL_OBJS) $(LIBGCC)
	@$(PYTHON) tools/check_kernel_symbols.py $@

# Pre-init objects: compile, then rename every symbol so that low code
# cannot reach high code (or the reverse) by accident. -MT: the
# dependency file names the renamed object, which is what a header
# change (kernel/kinfo.h) must rebuild.
define unpaged_rule
$(BUILD)/unpaged/$(subst /,_,$(basename $(1))).o: $(1) $(GEN)/asm-offsets.h
	@mkdir -p $(BUILD)/unpaged-raw $(BUILD)/unpaged
	$$(call say,CC-LOW,$(1))
	$$(Q)$$(CC) $$(if $$(filter %.S,$(1)),$$(KASFLAGS),$$(UNPAGED_CFLAGS)) -c $(1) \
		-MT $$@ -o $(BUILD)/unpaged-raw/$(subst /,_,$(basename $(1))).o
	$$(Q)$$(OBJCOPY) --prefix-symbols=__k_unpaged_ \
		$(BUILD)/unpaged-raw/$(subst /,_,$(basename $(1))).o $$@
endef
$(foreach src,$(UNPAGED_SRCS),$(eval $(call unpaged_rule,$(src))))

$(BUILD)/%.c.o: %.c $(GEN)/asm-offsets.h
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S $(GEN)/asm-offsets.h
	@mkdir -p $(dir $@)
	$(call say,AS,$<)
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# The linker script's KERNEL_BASE, from the header C and assembly use.
$(GEN)/layout.ld: include/cairn/layout.h
	@mkdir -p $(GEN)
	$(call say,GEN,$@)
	$(Q)printf '#include "cairn/layout.h"\nLD_KERNEL_BASE = KERNEL_BASE;\n' | \
		$(CC) -E -P -undef -Iinclude -x assembler-with-cpp - | \
		sed 's/^LD_KERNEL_BASE/KERNEL_BASE/' > $@.tmp && mv $@.tmp $@

# Structure offsets for assembly, generated from the C definitions: made
# again whenever a header they come from changes (its own .d file), or
# the entry code would run on stale offsets.
$(GEN)/asm-offsets.h: kernel/arch/i386/asm-offsets.c
	@mkdir -p $(GEN)
	$(call say,GEN,$@)
	$(Q)$(CC) $(filter-out -MMD -MP,$(KCFLAGS)) -MMD -MP \
		-MT $(GEN)/asm-offsets.h -MF $(GEN)/asm-offsets.d \
		-S $< -o $(GEN)/asm-offsets.s
	@{ echo "/* generated from $< -- do not edit */"; \
	   echo "#ifndef CAIRN_ASM_OFFSETS_H"; echo "#define CAIRN_ASM_OFFSETS_H"; \
	   sed -n 's/.*@@ASMDEF \([A-Z0-9_]*\) \$$\{0,1\}\(-\{0,1\}[0-9]*\).*/#define \1 \2/p' \
		$(GEN)/asm-offsets.s; \
	   echo "#endif"; } > $@.tmp && mv $@.tmp $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- user space: the library, VM, test and benchmark programs ---------------

include lib/lib.mk
include vm/vm.mk
include servers/pm/pm.mk
include servers/ds/ds.mk
include servers/rs/rs.mk
include servers/demo/demo.mk
$(eval $(call user_program,utest,tests/user/utest.c tests/user/utest_util.c \
	tests/user/utest_ipc.c tests/user/utest_proc.c tests/user/utest_peers.c \
	tests/user/utest_fuzz.c))
$(eval $(call user_program,vmtest,tests/user/vmtest.c tests/user/vmtest_util.c \
	tests/user/vmtest_mem.c tests/user/vmtest_share.c tests/user/vmtest_fork.c \
	tests/user/vmtest_exec.c tests/user/vmtest_bigmem.c tests/user/vmtest_pool.c))
$(eval $(call user_program,hostile,$(wildcard tests/user/hostile*.c) \
	$(DS_SERVE_SRCS)))
$(eval $(call user_program,fuzz,tests/user/fuzz.c tests/user/fuzz_call.c \
	tests/user/fuzz_fpu.c tests/user/fuzz_trap.S))
$(eval $(call user_program,ubench,bench/user/ubench.c bench/user/ubench_vm.c \
	bench/user/ubench_grant.c bench/user/ubench_ds.c bench/user/ubench_rs.c \
	bench/user/urunner.c \
	$(DS_SERVE_SRCS)))

# Not a program: vmtest's exec of a module that is no ELF gets ENOEXEC
# (bench/lab/cairn/bootimage.py's NOTELF).
$(BUILD)/user/notelf.bin:
	@mkdir -p $(dir $@)
	$(Q)printf 'not an ELF program\n' > $@
USER_PROGRAMS += $(BUILD)/user/notelf.bin

$(eval $(call user_program,rstest,tests/user/rstest.c))

# The system image (boot module 2, vm/bootfs.h): RS, the services and the
# policy in one ustar archive, byte for byte the same on every build
# (names without .elf; owner, group and times zeroed).
SYSTEM_IMAGE := $(BUILD)/user/system.tar
SYSTEM_CONF ?= servers/rs/system.conf
SYSTEM_PROGRAMS := rs ds demo demo_v2 demo_bad update
$(SYSTEM_IMAGE): $(patsubst %,$(BUILD)/user/%.elf,$(SYSTEM_PROGRAMS)) \
		$(SYSTEM_CONF)
	$(Q)tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 \
		--transform='s/\.elf$$//' -cf $@ -C $(BUILD)/user \
		$(patsubst %,%.elf,$(SYSTEM_PROGRAMS)) \
		-C $(CURDIR)/$(dir $(SYSTEM_CONF)) $(notdir $(SYSTEM_CONF))
USER_PROGRAMS += $(SYSTEM_IMAGE)

user: $(USER_PROGRAMS)

# --- host unit tests ---------------------------------------------------------

include tests/host/host.mk

# --- test, bench, plot -------------------------------------------------------

# VM's sanity build for the test's sanity boot: this build itself with
# SANITY=1, else the same tree built again beside it.
sanity-user:
ifeq ($(SANITY),1)
sanity-user: user
else
	$(Q)$(MAKE) --no-print-directory SANITY=1 BUILD=$(SANITY_DIR) user
endif

test: check-contract $(KERNEL) $(USER_PROGRAMS) $(HOST_TEST_BINS) sanity-user
	$(PYTHON) tests/run.py --build $(BUILD) --sanity-vm $(SANITY_DIR)/user/vm.elf

# The VM server's and PM's in-guest tests alone (tests/user/vmtest.c),
# which `make test` runs too.
test-vm: $(KERNEL) $(USER_PROGRAMS)
	$(PYTHON) tests/run.py --build $(BUILD) --only 'vmtest.*'

# The hostile suite alone (tests/user/hostile*.c), which `make test` runs too.
test-hostile: $(KERNEL) $(USER_PROGRAMS)
	$(PYTHON) tests/run.py --build $(BUILD) --only 'hostile.*'

# The fuzzer (bench/lab/cairnlab.py fuzz, tests/user/fuzz*.c): CALLS random
# calls by ordinary processes, in boots of at most CHUNK calls; a failure
# prints the command that replays it.  RECORD=1 appends the outcome to
# results/fuzz/runs.tsv.
SEED     ?= 1
CALLS    ?= 1000000
PROCS    ?= 3
fuzz: $(KERNEL) $(USER_PROGRAMS)
	$(PYTHON) bench/lab/cairnlab.py fuzz --build $(BUILD) --seed $(SEED) \
		--calls $(CALLS) --smp $(SMP) --procs $(PROCS) --memory $(MEM) \
		$(if $(CHUNK),--chunk $(CHUNK)) $(if $(SERIES),--series $(SERIES)) \
		$(if $(TRACE),--trace $(TRACE)) \
		$(if $(RECORD),--record results/fuzz/runs.tsv)

bench: $(KERNEL) $(USER_PROGRAMS)
	$(PYTHON) bench/lab/cairnlab.py bench --kernel $(KERNEL) $(if $(BOOTS),--boots $(BOOTS))

plot:
	$(PYTHON) bench/lab/cairnlab.py plot

bench-peer:
	$(PYTHON) bench/lab/cairnlab.py peer bench

# compare (and continuous): the lab exits 0 with no regression, 1 on a
# regression, 2 on a usage error or an error. make itself exits 2 when
# any command fails; its "Error 1" / "Error 2" line keeps the lab's status.
compare:
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=<rev> B=<rev>"; exit 2; }
	$(PYTHON) bench/lab/cairnlab.py compare $(A) $(B) $(if $(ONLY_CHANGED),--only-changed)

# Benchmark HEAD and BASE (default HEAD~1) in their own worktrees (a
# commit already measured is not measured again) and print the metrics
# that changed, with B/A; exit status as for compare.
BASE ?= HEAD~1
continuous:
	$(PYTHON) bench/lab/cairnlab.py continuous --base $(BASE) $(if $(BOOTS),--boots $(BOOTS)) $(if $(SERIES),--series $(SERIES))

bench-history:
	@test -n "$(REVS)" || { echo "usage: make bench-history REVS=<a>..<b> [BOOTS=n] [SERIES=icount,tcg,kvm]"; exit 2; }
	$(PYTHON) bench/lab/cairnlab.py history $(REVS) $(if $(BOOTS),--boots $(BOOTS)) $(if $(SERIES),--series $(SERIES))

bisect:
	@test -n "$(METRIC)" -a -n "$(GOOD)" -a -n "$(BAD)" || { echo "usage: make bisect METRIC=<metric> GOOD=<rev> BAD=<rev>"; exit 2; }
	$(PYTHON) bench/lab/cairnlab.py bisect $(METRIC) $(GOOD) $(BAD)

changepoints:
	$(PYTHON) bench/lab/cairnlab.py changepoints

report:
	$(PYTHON) bench/lab/cairnlab.py report

# A static site of every metric (plain HTML, gnuplot SVG, no JavaScript):
# open $(BUILD)/dashboard/index.html in a browser, from file://.
dashboard:
	$(PYTHON) bench/lab/cairnlab.py dashboard --out $(BUILD)/dashboard

# --- bare metal and farms ------------------------------------------------------

# A bootable CD image with GRUB (BIOS): the kernel, the user programs and
# a menu with the test (default), benchmark, VM-test and hostile boots.
# Needs grub-mkrescue: apt-get install grub-pc-bin grub-common xorriso
# mtools. Boot it with `qemu-system-i386 -cdrom $(BUILD)/cairn.iso -serial
# stdio`, or write it to a USB stick. GRUB_TIMEOUT: menu seconds.
GRUB_TIMEOUT ?= 3
iso: $(KERNEL) $(USER_PROGRAMS)
	$(PYTHON) tools/mkiso.py --build $(BUILD) -o $(BUILD)/cairn.iso --timeout $(GRUB_TIMEOUT)


KIND     ?= bench
DEST_URL ?= http://{SERVER_IP}/cairn

netboot: $(KERNEL) $(USER_PROGRAMS)
	@test -n "$(DEST)" || { echo "usage: make netboot DEST=<dir> [KIND=bench|test]"; exit 2; }
	$(PYTHON) bench/lab/cairnlab.py netboot --dest $(DEST) --kind $(KIND) --build $(BUILD)

collect:
	@test -n "$(LOG)" -a -n "$(MACHINE)" || { echo "usage: make collect LOG=<serial log> MACHINE=<name>"; exit 2; }
	$(PYTHON) bench/lab/cairnlab.py collect --log $(LOG) --machine $(MACHINE)

lava-job:
	@mkdir -p $(BUILD)
	$(PYTHON) bench/lab/cairnlab.py lava-job --dest-url '$(DEST_URL)' --kind $(KIND) -o $(BUILD)/lava-job.yaml
	$(PYTHON) bench/lab/cairnlab.py lava-check $(BUILD)/lava-job.yaml

OP ?= sendrec
breakdown: $(KERNEL) $(USER_PROGRAMS)
	$(PYTHON) tools/breakdown.py $(OP) --build $(BUILD)

probe: $(KERNEL)
	$(PYTHON) bench/lab/cairnlab.py probe --kernel $(KERNEL)

fixtures: $(KERNEL)
	$(PYTHON) tools/capture_fixtures.py --kernel $(KERNEL) --out tests/fixtures

# --- running and debugging ----------------------------------------------------

# Which user space `make run/debug` boots: the test roles, the benchmark
# roles, the VM tests' roles (with MEM=64 as make test-vm), or none (the
# kernel alone).
USER     ?= test
RUN_MODS = $(if $(filter none,$(USER)),,-initrd "$(shell $(PYTHON) tools/initrd.py $(USER) $(BUILD))")
QEMU_RUN = $(QEMU) -kernel $(KERNEL) $(RUN_MODS) -append "$(CMDLINE)" -smp $(SMP) -m $(MEM) \
	-display none -no-reboot -serial mon:stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

run: $(KERNEL) $(USER_PROGRAMS)
	-$(QEMU_RUN)

debug: $(KERNEL) $(USER_PROGRAMS)
	@echo "QEMU is waiting for gdb on localhost:1234: run 'make gdb' in another terminal."
	-$(QEMU_RUN) -s -S

gdb: $(KERNEL)
	gdb -q -ex 'set architecture i386' -ex 'target remote localhost:1234' \
		-ex 'break kmain' $(KERNEL)

disasm: $(KERNEL)
	objdump -d -M att $(KERNEL) > $(BUILD)/kernel.dis
	@echo "$(BUILD)/kernel.dis"

clean:
	rm -rf $(BUILD) $(SANITY_DIR)

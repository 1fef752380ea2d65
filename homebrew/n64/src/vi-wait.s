# Waiting for the next frame without burning emulated cycles: the CPU sits in a branch-to-self with an empty
# delay slot (emulators skip such idle loops straight to the next event) and the VI interrupt handler moves it on.
    .set noreorder
    .set noat

# Copied to the general exception vector (0x80000180) by vi_wait_install.
    .section .text
exception_stub:
    la      $k0, exception_handler
    jr      $k0
    nop
exception_stub_end:

# Only the VI interrupt is unmasked, so every exception here is a VI: acknowledge it, mark the frame pending, and
# when the CPU was anywhere in the check-then-idle sequence below restart it at the check (so a VI that lands
# between the check and the idle loop cannot be lost). Touches only $k0/$k1.
exception_handler:
    lui     $k0, 0xA440
    sw      $zero, 0x10($k0)        # VI_CURRENT: acknowledge
    la      $k0, vi_pending
    addiu   $k1, $zero, 1
    sw      $k1, 0($k0)
    mfc0    $k0, $14                # EPC
    la      $k1, vi_wait_check
    subu    $k0, $k0, $k1
    sltiu   $k0, $k0, 16            # EPC within check .. idle-loop branch?
    beqz    $k0, 1f
    nop
    mtc0    $k1, $14
    nop
    nop
1:  eret

# void vi_wait(void): returns once a VI interrupt has come since the last return.
    .globl vi_wait
vi_wait:
    la      $t0, vi_pending
vi_wait_check:
    lw      $t1, 0($t0)
    bnez    $t1, 2f
    nop
vi_wait_idle:
    b       vi_wait_idle
    nop
2:  sw      $zero, 0($t0)
    jr      $ra
    nop

# void vi_wait_install(void): installs the handler and enables the VI interrupt (only that one) on the CPU.
    .globl vi_wait_install
vi_wait_install:
    la      $t0, exception_stub
    la      $t1, exception_stub_end
    lui     $t2, 0xA000             # the vector, written uncached
    ori     $t2, $t2, 0x0180
3:  lw      $t3, 0($t0)
    sw      $t3, 0($t2)
    addiu   $t0, $t0, 4
    bne     $t0, $t1, 3b
    addiu   $t2, $t2, 4
    lui     $t0, 0xA430
    addiu   $t1, $zero, 0x0555      # MI_MASK: clear every mask bit ...
    sw      $t1, 0x0C($t0)
    addiu   $t1, $zero, 0x0080      # ... then set VI's
    sw      $t1, 0x0C($t0)
    mfc0    $t0, $12                # Status: IM2 (RCP) on, IE on, EXL/ERL off
    li      $t1, ~0x00000006
    and     $t0, $t0, $t1
    ori     $t0, $t0, 0x0401
    mtc0    $t0, $12
    jr      $ra
    nop

    .section .bss
    .balign 4
vi_pending:
    .word 0

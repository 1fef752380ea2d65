# Program entry (0x80000400): a stack, a zeroed .bss, then C.
    .section .text.start, "ax"
    .set noreorder
    .globl _start
_start:
    la      $sp, __stack_top
    la      $t0, __bss_start
    la      $t1, __bss_end
1:  beq     $t0, $t1, 2f
    nop
    sw      $zero, 0($t0)
    b       1b
    addiu   $t0, $t0, 4
2:  jal     test_main
    nop
3:  b       3b
    nop

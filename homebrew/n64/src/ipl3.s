# Our own stage-3 boot code (ROM 0x40-0xFFF). The PIF (or an emulator's high-level boot) copies it to SP DMEM at
# 0xA4000040 and runs it. It only copies the program from the cartridge to RDRAM by PI DMA and jumps to it: it does
# not initialise RDRAM or the caches as Nintendo's boot code does, so the ROM is meant for emulators.
    .section .ipl3, "ax"
    .set noreorder
    .set noat
    .globl ipl3
ipl3:
    lui     $t0, 0xA460             # PI registers
1:  lw      $t1, 0x10($t0)          # PI_STATUS: wait until no DMA or IO is busy
    andi    $t1, $t1, 3
    bnez    $t1, 1b
    nop
    li      $t1, 3                  # reset the PI and clear its interrupt
    sw      $t1, 0x10($t0)
    la      $t1, __payload_phys
    sw      $t1, 0x00($t0)          # PI_DRAM_ADDR
    la      $t1, __payload_cart
    sw      $t1, 0x04($t0)          # PI_CART_ADDR
    la      $t1, __payload_size - 1
    sw      $t1, 0x0C($t0)          # PI_WR_LEN: cartridge -> RDRAM, starts the DMA
2:  lw      $t1, 0x10($t0)
    andi    $t1, $t1, 3
    bnez    $t1, 2b
    nop
    li      $t1, 2                  # clear the PI interrupt
    sw      $t1, 0x10($t0)
    li      $t1, 0x00800000         # osMemSize, where libultra programs look for it
    lui     $t2, 0xA000
    sw      $t1, 0x318($t2)
    la      $t0, _start
    jr      $t0
    nop

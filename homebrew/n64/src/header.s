# The 64-byte cartridge header. CRC1/CRC2 stay zero here; homebrew/n64/fix-header.ts computes them after linking.
    .section .header, "a"
    .word 0x80371240            # PI BSD domain 1 timing; also the big-endian (.z64) byte-order mark
    .word 0x0000000F            # clock rate
    .word _start                # entry point the boot code jumps to
    .word 0x00001444            # release of the boot code format
    .word 0, 0                  # CRC1, CRC2
    .word 0, 0                  # unused
    .ascii "LIBRETROGYM N64 TEST" # internal name: 20 bytes, padded with spaces
    .word 0                     # unused
    .byte 0, 0, 0               # unused
    .ascii "N"                  # media: cartridge
    .ascii "LG"                 # cartridge id
    .ascii "E"                  # region: North America (NTSC)
    .byte 0                     # version

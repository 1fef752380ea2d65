; Power-on/reset entry, iNES header and CPU vectors.
; All 2 KiB of RAM is cleared here so the game never depends on power-on
; RAM contents (emulators differ; RL runs must be reproducible).

        .export __STARTUP__ : absolute = 1     ; keeps nes.lib's own crt0 out
        .import _main, nmi, __CSTACK_START__, __CSTACK_SIZE__
        .importzp sp

.segment "HEADER"
        .byte "NES", $1A
        .byte 2                 ; 2 x 16 KiB PRG-ROM
        .byte 1                 ; 1 x 8 KiB CHR-ROM
        .byte $01               ; mapper 0, vertical mirroring (single screen used)
        .byte $00
        .res 8, 0

.segment "STARTUP"
reset:
        sei
        cld
        ldx #$40
        stx $4017               ; no APU frame IRQ
        ldx #$FF
        txs
        inx
        stx $2000               ; NMI off
        stx $2001               ; rendering off
        stx $4010               ; no DMC IRQ
        bit $2002
@vblank1:
        bit $2002
        bpl @vblank1
        txa
@clear:
        sta $0000,x
        sta $0100,x
        sta $0300,x
        sta $0400,x
        sta $0500,x
        sta $0600,x
        sta $0700,x
        inx
        bne @clear
        lda #$FF                ; OAM shadow: every sprite off-screen
@hide:
        sta $0200,x
        inx
        bne @hide
@vblank2:                       ; PPU is ready after the second vblank
        bit $2002
        bpl @vblank2
        lda #<(__CSTACK_START__ + __CSTACK_SIZE__)
        sta sp
        lda #>(__CSTACK_START__ + __CSTACK_SIZE__)
        sta sp+1
        jmp _main

irq:
        rti

.segment "VECTORS"
        .addr nmi, reset, irq

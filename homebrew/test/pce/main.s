; pce-test.pce -- tiny HuCard test ROM for libretro-gym's PC Engine tests.
;
; The RAM layout below is a contract the host's tests rely on; keep it fixed.
; Offsets are into the 8 KiB work RAM (bank $F8, seen at $2000 with zero page
; at $2000-$20FF); stable-retro addresses it from $F80000.
;   $10 pad 1   bit7=Left 6=Down 5=Right 4=Up 3=Run 2=Select 1=II 0=I
;   $12-$13 frame counter (16-bit LE, +1 per frame)
;   $14 frames with I held    $18 frames with II held
;   $15 x (starts 128, Left -1 / Right +1)
;   $16 y (starts 112, Up -1 / Down +1)
;   $17 8-bit Galois LFSR, seed $A5: next = (v >> 1) ^ (v & 1 ? $B8 : 0)
; All counters wrap. Build with ../../build-test-roms.sh.

; --- I/O, with MPR0 = $FF (the hardware page) at $0000-$1FFF ---
VDC_CTRL  = $0000             ; write: register select, read: status
VDC_LO    = $0002
VDC_HI    = $0003             ; writing the high byte completes the write
VCE_CTRL  = $0400
VCE_ADDR  = $0402             ; 2 bytes: colour index 0-511
VCE_DATA  = $0404             ; 2 bytes: 9-bit colour, GGGRRRBBB
TIMER_CTL = $0C01
JOYPAD    = $1000             ; write: bit0 SEL, bit1 CLR; read: low nibble, active low
IRQ_MASK  = $1402             ; bit0 IRQ2, bit1 IRQ1 (VDC), bit2 timer; 1 = disabled

; VDC registers
MAWR = $00
VWR  = $02
CR   = $05
BXR  = $07

; VRAM layout (16-bit words)
BAT_ADDR     = $0000          ; 32x32 background map
TILE_ADDR    = $1000          ; tile $100: solid colour 1
SPRITE_ADDR  = $1100          ; 16x16 sprite pattern, colour 3
SPRITE_PAT   = SPRITE_ADDR >> 5
SAT_ADDR     = $7F00          ; sprite table, copied to the VDC every vblank

; --- contract addresses (zero page: $2000 + offset) ---
PAD       = $10
FRAME     = $12               ; 2 bytes
ICOUNT    = $14
POSX      = $15
POSY      = $16
LFSR      = $17
IICOUNT   = $18

; --- private state, kept away from the contract bytes ---
tmp       = $00
vsync     = $20               ; bumped by the vblank interrupt

.segment "CODE"

reset:
    sei
    csh                       ; 7.16 MHz
    cld
    lda #$FF
    tam #$01                  ; MPR0 = hardware page
    lda #$F8
    tam #$02                  ; MPR1 = work RAM at $2000
    ldx #$FF
    txs                       ; stack at $2100-$21FF
    lda #$07
    sta IRQ_MASK              ; no interrupts until the VDC is set up
    stz TIMER_CTL

    stz $2000                 ; clear work RAM: copy the zero forward
    tii $2000, $2001, $1FFF

    ; VDC timing and layout: 256x224, 32x32 map, sprite table DMA every vblank
    ldx #0
@vdc_reg:
    lda vdc_setup,x
    sta a:VDC_CTRL
    lda vdc_setup+1,x
    sta a:VDC_LO
    lda vdc_setup+2,x
    sta a:VDC_HI
    inx
    inx
    inx
    cpx #vdc_setup_end - vdc_setup
    bne @vdc_reg
    stz VCE_CTRL              ; 5.37 MHz dot clock (256 pixels wide)

    ; palettes: background 0 (backdrop, checker) and sprite palettes 0, 1
    ldx #0
@colour:
    lda palette_index,x
    sta VCE_ADDR
    lda palette_index+1,x
    sta VCE_ADDR+1
    lda palette_value,x
    sta VCE_DATA
    lda palette_value+1,x
    sta VCE_DATA+1
    inx
    inx
    cpx #palette_value - palette_index
    bne @colour

    ; background map: a checkerboard of tile $100 (colour 1) and tile $101
    ; (colour 0, which shows the changing backdrop)
    st0 #MAWR
    st1 #<BAT_ADDR
    st2 #>BAT_ADDR
    st0 #VWR
    ldy #0                    ; row 0..31
@row:
    ldx #0                    ; column 0..31
@col:
    stx tmp
    tya
    eor tmp
    and #1
    ora #<(TILE_ADDR >> 4)
    sta a:VDC_LO
    lda #>(TILE_ADDR >> 4)
    sta a:VDC_HI
    inx
    cpx #32
    bne @col
    iny
    cpy #32
    bne @row

    ; tile $100: plane 0 set on every row; tile $101: all clear
    st0 #MAWR
    st1 #<TILE_ADDR
    st2 #>TILE_ADDR
    st0 #VWR
    ldx #8
@tile_solid:
    st1 #$FF                  ; plane 0 (low byte), plane 1 (high byte)
    st2 #$00
    dex
    bne @tile_solid
    ldx #8 + 16               ; planes 2/3 of tile $100, then all of tile $101
@tile_clear:
    st1 #$00
    st2 #$00
    dex
    bne @tile_clear

    ; sprite pattern: planes 0 and 1 set (colour 3), planes 2 and 3 clear
    st0 #MAWR
    st1 #<SPRITE_ADDR
    st2 #>SPRITE_ADDR
    st0 #VWR
    ldx #32
@sprite_set:
    st1 #$FF
    st2 #$FF
    dex
    bne @sprite_set
    ldx #32
@sprite_clear:
    st1 #$00
    st2 #$00
    dex
    bne @sprite_clear

    ; sprite table: every entry at Y = 0, above the screen
    st0 #MAWR
    st1 #<SAT_ADDR
    st2 #>SAT_ADDR
    st0 #VWR
    ldx #0
@sat_clear:
    st1 #$00
    st2 #$00
    dex
    bne @sat_clear

    ; initial state of the contract variables (RAM is already zero)
    lda #128
    sta POSX
    lda #112
    sta POSY
    lda #$A5
    sta LFSR

    ; background, sprites and the vblank interrupt on
    st0 #CR
    st1 #$C8
    st2 #$00
    lda #$05                  ; IRQ1 (VDC) only
    sta IRQ_MASK
    cli

main:
    lda vsync
@wait:
    cmp vsync                 ; exactly one pass per vblank, i.e. per frame
    beq @wait

    jsr read_pad

    inc FRAME
    bne @frame_done
    inc FRAME+1
@frame_done:

    bbr0 PAD, @no_i
    inc ICOUNT
@no_i:
    bbr1 PAD, @no_ii
    inc IICOUNT
@no_ii:
    bbr7 PAD, @no_left
    dec POSX
@no_left:
    bbr5 PAD, @no_right
    inc POSX
@no_right:
    bbr4 PAD, @no_up
    dec POSY
@no_up:
    bbr6 PAD, @no_down
    inc POSY
@no_down:

    lda LFSR                  ; Galois step, taps $B8 (period 255)
    lsr a
    bcc @lfsr_done
    eor #$B8
@lfsr_done:
    sta LFSR

    jsr draw
    jmp main

; Strobe the pad, then read the directions (SEL = 1) and the buttons
; (SEL = 0) and invert them, so that a pressed button is a 1 bit.
read_pad:
    lda #$01
    sta JOYPAD
    lda #$03                  ; CLR: back to the first pad
    sta JOYPAD
    lda #$01
    sta JOYPAD
    jsr settle
    lda JOYPAD                ; bit0 Up, 1 Right, 2 Down, 3 Left
    asl a
    asl a
    asl a
    asl a
    sta tmp
    stz JOYPAD
    jsr settle
    lda JOYPAD                ; bit0 I, 1 II, 2 Select, 3 Run
    and #$0F
    ora tmp
    eor #$FF
    sta PAD
    rts

settle:                       ; the pad's multiplexer needs a few cycles
    nop
    nop
    nop
    nop
    rts

; Sprite 0 at (x, y), sprite 1 marching along a row at x = frame, the
; backdrop colour picked by frame / 8, and the map scrolled by frame / 4.
draw:
    st0 #MAWR
    st1 #<SAT_ADDR
    st2 #>SAT_ADDR
    st0 #VWR
    lda POSY                  ; sprite Y is offset by 64, X by 32
    clc
    adc #64
    sta a:VDC_LO
    cla
    adc #0
    sta a:VDC_HI
    lda POSX
    clc
    adc #32
    sta a:VDC_LO
    cla
    adc #0
    sta a:VDC_HI
    st1 #<SPRITE_PAT
    st2 #>SPRITE_PAT
    st1 #$80                  ; in front of the background, palette 0, 16x16
    st2 #$00
    st1 #<(24 + 64)           ; sprite 1
    st2 #>(24 + 64)
    lda FRAME
    clc
    adc #32
    sta a:VDC_LO
    cla
    adc #0
    sta a:VDC_HI
    st1 #<SPRITE_PAT
    st2 #>SPRITE_PAT
    st1 #$81                  ; palette 1
    st2 #$00

    stz VCE_ADDR              ; colour 0: the backdrop
    stz VCE_ADDR+1
    lda FRAME
    lsr a
    lsr a
    and #$1E                  ; (frame / 8) mod 16, times 2 bytes
    tax
    lda backdrop_colours,x
    sta VCE_DATA
    lda backdrop_colours+1,x
    sta VCE_DATA+1
    rts

; The VDC's vblank interrupt: reading its status acknowledges it.
vdc_irq:
    pha
    lda a:VDC_CTRL
    inc vsync
    pla
unused_irq:
    rti

.segment "RODATA"

vdc_setup:                    ; register, low byte, high byte
    .byte $05, $00, $00       ; CR: display off for now
    .byte $06, $00, $00       ; RCR: no scanline interrupt
    .byte $07, $00, $00       ; BXR
    .byte $08, $00, $00       ; BYR
    .byte $09, $00, $00       ; MWR: 32x32 map
    .byte $0A, $02, $02       ; HSR
    .byte $0B, $1F, $03       ; HDR: 32 tiles wide
    .byte $0C, $02, $0F       ; VPR
    .byte $0D, $DF, $00       ; VDW: 224 lines
    .byte $0E, $0C, $00       ; VCR
    .byte $0F, $10, $00       ; DCR: sprite table DMA every vblank
    .byte $13, <SAT_ADDR, >SAT_ADDR ; SATB
vdc_setup_end:

palette_index:                ; VCE colour indexes, little-endian words
    .word $0000, $0001, $0100, $0103, $0113
palette_value:                ; GGGRRRBBB
    .word $0000, $0007, $0000, $01FF, $01F8

backdrop_colours:             ; one per 8 frames, 16 steps
    .word $0000, $0038, $01C0, $0007, $01F8, $01C7, $003F, $01FF
    .word $0092, $0124, $0049, $0111, $00A2, $0188, $0051, $0016

.segment "VECTORS"
    .word unused_irq          ; IRQ2 / BRK
    .word vdc_irq             ; IRQ1: VDC
    .word unused_irq          ; timer
    .word unused_irq          ; NMI
    .word reset

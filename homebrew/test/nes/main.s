; nes-test.nes -- tiny NROM test ROM for libretro-gym's tests and benchmarks.
;
; The RAM layout below is a contract the host's tests rely on; keep it fixed.
;   $0010 pad 1, $0011 pad 2   bit7=A 6=B 5=Select 4=Start 3=Up 2=Down 1=Left 0=Right
;   $0012-$0013 frame counter (16-bit LE, +1 per frame)
;   $0014 frames with A held on pad 1      $0018 frames with any pad-2 button held
;   $0015 x (starts 128, Left -1 / Right +1)
;   $0016 y (starts 120, Up -1 / Down +1)
;   $0017 8-bit Galois LFSR, seed $A5: next = (v >> 1) ^ (v & 1 ? $B8 : 0)
;   $6000-$6001 copy of the frame counter (battery-backed PRG-RAM)
; All counters wrap. Build with ../../build-test-roms.sh.

PPUCTRL   = $2000
PPUMASK   = $2001
PPUSTATUS = $2002
OAMADDR   = $2003
PPUSCROLL = $2005
PPUADDR   = $2006
PPUDATA   = $2007
DMC_FREQ  = $4010
OAMDMA    = $4014
JOY1      = $4016
JOY2      = $4017             ; write: APU frame counter

; --- contract addresses (zero page) ---
PAD1      = $10
PAD2      = $11
FRAME     = $12               ; 2 bytes
ACOUNT    = $14
POSX      = $15
POSY      = $16
LFSR      = $17
P2COUNT   = $18
SRAM_FRAME = $6000            ; 2 bytes

; --- private state, kept away from the contract bytes ---
tmp       = $00
nmi_count = $20               ; bumped by NMI; main loop waits for it to change
backdrop  = $21               ; colour the next NMI writes to $3F00
OAM       = $0200             ; shadow OAM, copied by DMA every NMI

.segment "HEADER"
    .byte "NES", $1A
    .byte 1                   ; PRG-ROM: 1 x 16 KiB
    .byte 1                   ; CHR-ROM: 1 x 8 KiB
    .byte $03                 ; mapper 0, vertical mirroring, battery-backed PRG-RAM
    .byte $00                 ; mapper 0 high nibble, plain iNES
    .byte 1                   ; PRG-RAM: 1 x 8 KiB
    .res 7, $00

.segment "CODE"

reset:
    sei
    cld
    ldx #$40
    stx JOY2                  ; no APU frame IRQ
    ldx #$FF
    txs
    inx                       ; X = 0
    stx PPUCTRL               ; no NMI until the PPU is set up
    stx PPUMASK               ; rendering off
    stx DMC_FREQ              ; no DMC IRQ
    bit PPUSTATUS             ; clear a stale vblank flag

    ; The PPU ignores writes until it has warmed up: wait two vblanks,
    ; clearing RAM in between.
@vblank1:
    bit PPUSTATUS
    bpl @vblank1

    lda #$00
@clear_ram:
    sta $0000,x
    sta $0100,x
    sta $0300,x
    sta $0400,x
    sta $0500,x
    sta $0600,x
    sta $0700,x
    inx
    bne @clear_ram
    lda #$FF                  ; Y >= $EF hides a sprite: start with all hidden
@clear_oam:
    sta OAM,x
    inx
    bne @clear_oam

@vblank2:
    bit PPUSTATUS
    bpl @vblank2

    ; palettes ($3F00-$3F1F)
    lda #$3F
    sta PPUADDR
    lda #$00
    sta PPUADDR
    ldx #$00
@palette:
    lda palettes,x
    sta PPUDATA
    inx
    cpx #32
    bne @palette

    ; nametable 0: a border of tile 3 around an 8x8-pixel checkerboard of
    ; tile 2 and blank tile 0 (the blank squares show the changing backdrop)
    lda #$20
    sta PPUADDR
    lda #$00
    sta PPUADDR
    ldy #0                    ; row 0..29
@row:
    ldx #0                    ; column 0..31
@col:
    lda #3
    cpy #0
    beq @put
    cpy #29
    beq @put
    cpx #0
    beq @put
    cpx #31
    beq @put
    stx tmp
    tya
    eor tmp
    and #1
    asl a                     ; 0 or 2
@put:
    sta PPUDATA
    inx
    cpx #32
    bne @col
    iny
    cpy #30
    bne @row
    ; attribute table: each 32x32 block uses palettes 0,1,2,3 by quadrant
    lda #$E4
    ldx #64
@attr:
    sta PPUDATA
    dex
    bne @attr

    ; initial state of the contract variables (RAM is already zero)
    lda #128
    sta POSX
    lda #120
    sta POSY
    lda #$A5
    sta LFSR
    lda backdrop_colors
    sta backdrop
    ; sprite 1 marches along a fixed row so that every frame differs
    lda #1
    sta OAM+5                 ; tile 1 (solid)
    sta OAM+6                 ; palette 1
    lda #24
    sta OAM+4

    ; NMI on; the first NMI turns rendering on inside vblank
    lda #$80
    sta PPUCTRL

main:
    lda nmi_count
@wait:
    cmp nmi_count             ; exactly one pass per NMI, i.e. per frame
    beq @wait

    jsr read_pads

    inc FRAME
    bne @frame_done
    inc FRAME+1
@frame_done:

    lda PAD1
    bpl @no_a                 ; bit 7 = A
    inc ACOUNT
@no_a:

    lda PAD1
    and #$02                  ; Left
    beq @no_left
    dec POSX
@no_left:
    lda PAD1
    and #$01                  ; Right
    beq @no_right
    inc POSX
@no_right:
    lda PAD1
    and #$08                  ; Up
    beq @no_up
    dec POSY
@no_up:
    lda PAD1
    and #$04                  ; Down
    beq @no_down
    inc POSY
@no_down:

    lda LFSR                  ; Galois step, taps $B8 (period 255)
    lsr a
    bcc @lfsr_done
    eor #$B8
@lfsr_done:
    sta LFSR

    lda PAD2
    beq @no_pad2
    inc P2COUNT
@no_pad2:

    lda FRAME
    sta SRAM_FRAME
    lda FRAME+1
    sta SRAM_FRAME+1

    ; what the next NMI shows: sprite 0 at (x, y), sprite 1 at x = frame,
    ; backdrop colour picked by frame / 8
    lda POSY
    sta OAM+0
    lda #1
    sta OAM+1                 ; tile 1 (solid)
    lda #0
    sta OAM+2                 ; palette 0, in front of the background
    lda POSX
    sta OAM+3
    lda FRAME
    sta OAM+7
    lsr a
    lsr a
    lsr a
    and #$0F
    tax
    lda backdrop_colors,x
    sta backdrop

    jmp main

; Strobe both pads, then shift 8 bits from each: the first bit read (A)
; ends up in bit 7, the last (Right) in bit 0.
read_pads:
    lda #1
    sta JOY1
    lda #0
    sta JOY1
    ldx #8
@bit:
    lda JOY1
    lsr a
    rol PAD1
    lda JOY2
    lsr a
    rol PAD2
    dex
    bne @bit
    rts

; Everything here fits easily in vblank: OAM DMA (~513 cycles) + a few writes.
nmi:
    pha
    txa
    pha
    lda #$00
    sta OAMADDR
    lda #>OAM
    sta OAMDMA
    bit PPUSTATUS             ; reset the $2005/$2006 write latch
    lda #$3F
    sta PPUADDR
    lda #$00
    sta PPUADDR
    lda backdrop
    sta PPUDATA
    ; writing $2006 disturbs the scroll: set it again
    lda #$00
    sta PPUSCROLL
    sta PPUSCROLL
    lda #$80                  ; NMI on, nametable $2000, all patterns at $0000
    sta PPUCTRL
    lda #$1E                  ; background + sprites, left column included
    sta PPUMASK
    inc nmi_count
    pla
    tax
    pla
irq:
    rti

.segment "RODATA"

palettes:
    ; background: colour 1 = checker squares, colour 2 = border
    .byte $0F, $16, $27, $30
    .byte $0F, $1A, $2A, $30
    .byte $0F, $12, $22, $30
    .byte $0F, $14, $24, $30
    ; sprites: colour 3 is what the solid tile shows ($3F10 mirrors $3F00)
    .byte $0F, $0F, $0F, $30
    .byte $0F, $0F, $0F, $28
    .byte $0F, $0F, $0F, $21
    .byte $0F, $0F, $0F, $19

backdrop_colors:              ; one per 8 frames, 16 steps
    .byte $0F, $01, $02, $03, $04, $05, $06, $07
    .byte $08, $09, $0A, $0B, $0C, $00, $2D, $10

.segment "VECTORS"
    .word nmi, reset, irq

.segment "CHARS"
    ; tile 0: blank
    .res 16, $00
    ; tile 1: solid colour 3 (sprites)
    .res 16, $FF
    ; tile 2: solid colour 1 (checker squares)
    .res 8, $FF
    .res 8, $00
    ; tile 3: colour 2 with a colour-3 outline (border)
    .byte $FF, $81, $81, $81, $81, $81, $81, $FF
    .res 8, $FF

; snes-test.sfc -- tiny LoROM test ROM for libretro-gym's tests and benchmarks.
;
; The RAM layout below is a contract the host's tests rely on; keep it fixed.
;   $7E0010-11 pad 1, $7E0012-13 pad 2: 16-bit LE as read from $4218/$421A
;              bit15=B 14=Y 13=Select 12=Start 11=Up 10=Down 9=Left 8=Right
;              7=A 6=X 5=L 4=R
;   $7E0014-15 frame counter (16-bit LE, +1 per frame)
;   $7E0016    frames with A held on pad 1
;   $7E0017    x (starts 128, Left -1 / Right +1)
;   $7E0018    y (starts 112, Up -1 / Down +1)
;   $7E0019    8-bit Galois LFSR, seed $A5: next = (v >> 1) ^ (v & 1 ? $B8 : 0)
;   $700000-01 (SRAM) copy of the frame counter
; All counters wrap. Build with ../../build-test-roms.sh (it also fixes the
; header checksum).

.p816
.smart -                      ; register sizes are declared by hand below

INIDISP  = $2100
OBSEL    = $2101
OAMADDL  = $2102
OAMDATA  = $2104
BGMODE   = $2105
BG1SC    = $2107
BG12NBA  = $210B
VMAIN    = $2115
VMADDL   = $2116
VMDATAL  = $2118
CGADD    = $2121
CGDATA   = $2122
TM       = $212C
WMDATA   = $2180
WMADDL   = $2181
NMITIMEN = $4200
WRIO     = $4201
MDMAEN   = $420B
HDMAEN   = $420C
MEMSEL   = $420D
RDNMI    = $4210
HVBJOY   = $4212
JOY1L    = $4218
JOY2L    = $421A
DMAP0    = $4300
BBAD0    = $4301
A1T0L    = $4302
A1B0     = $4304
DAS0L    = $4305

; --- contract addresses (direct page = $7E0000 via the bank-0 mirror) ---
PAD1     = $10                ; 2 bytes
PAD2     = $12                ; 2 bytes
FRAME    = $14                ; 2 bytes
ACOUNT   = $16
POSX     = $17
POSY     = $18
LFSR     = $19
SRAM_FRAME = $700000          ; 2 bytes

; --- private state, kept away from the contract bytes ---
nmi_count = $20               ; bumped by NMI; main loop waits for it to change
backdrop  = $22               ; 2 bytes: BGR555 colour the next NMI puts in CGRAM 0
tmp       = $24               ; 2 bytes
OAM       = $0200             ; shadow OAM: 512-byte low table + 32-byte high table
OAM_HI    = OAM + 512

; VRAM layout (word addresses)
VRAM_BG1_TILES = $0000
VRAM_BG1_MAP   = $0400
VRAM_OBJ_TILES = $2000

.segment "CODE"

reset:
    sei
    clc
    xce                       ; native mode
    rep #$38                  ; 16-bit A/X/Y, binary arithmetic
.a16
.i16
    ldx #$1FFF
    txs
    lda #$0000
    tcd                       ; direct page = $0000
    sep #$20
.a8
    pha
    plb                       ; data bank = $00 (registers + low-RAM mirror)

    lda #$8F
    sta INIDISP               ; forced blank while VRAM is set up
    stz NMITIMEN
    stz HDMAEN
    stz MEMSEL                ; SlowROM, as the header says

    ; PPU registers $2101-$2133 to zero; writing each twice also settles the
    ; write-twice ones (scroll, mode 7). Stray data-port writes are harmless:
    ; VRAM, CGRAM and OAM are all rewritten below.
    ldx #$0001
@ppu_regs:
    stz INIDISP,x
    stz INIDISP,x
    inx
    cpx #$0034
    bne @ppu_regs
    lda #$FF
    sta WRIO

    ; All 128 KiB of WRAM to zero: two 64 KiB DMAs from a fixed zero byte.
    ; Nothing is on the stack yet, so clearing it is fine.
    stz WMADDL
    stz WMADDL+1
    stz WMADDL+2
    lda #$08                  ; fixed A-bus address, one B-bus register
    sta DMAP0
    lda #<WMDATA
    sta BBAD0
    ldx #.loword(zero)
    stx A1T0L
    lda #^zero
    sta A1B0
    ldx #$0000                ; 0 means 65536 bytes
    stx DAS0L
    lda #$01
    sta MDMAEN
    stx DAS0L                 ; WMADD kept counting: this clears $7F0000-$7FFFFF
    sta MDMAEN

    ; VRAM to zero: 64 KiB to $2118/$2119 from the fixed zero byte
    lda #$80
    sta VMAIN                 ; step the address after the high byte
    stx VMADDL                ; X = 0
    lda #$09                  ; fixed A-bus address, two registers (L, H)
    sta DMAP0
    lda #<VMDATAL
    sta BBAD0
    ldx #.loword(zero)
    stx A1T0L
    ldx #$0000
    stx DAS0L
    lda #$01
    sta MDMAEN

    ; palettes: BG palettes 0-3 at CGRAM 0, sprite palettes 0-1 at CGRAM 128
    stz CGADD
    ldx #.loword(bg_palette)
    ldy #bg_palette_end - bg_palette
    lda #<CGDATA
    jsr dma_to_ppu
    lda #128
    sta CGADD
    ldx #.loword(obj_palette)
    ldy #obj_palette_end - obj_palette
    lda #<CGDATA
    jsr dma_to_ppu

    ; tiles
    ldx #VRAM_BG1_TILES
    stx VMADDL
    ldx #.loword(bg_tiles)
    ldy #bg_tiles_end - bg_tiles
    jsr dma_to_vram
    ldx #VRAM_OBJ_TILES
    stx VMADDL
    ldx #.loword(obj_tiles)
    ldy #obj_tiles_end - obj_tiles
    jsr dma_to_vram

    ; BG1 map, 32x32: a border of tile 2 around the 28 visible rows and a
    ; checkerboard of tile 1 and blank tile 0 (the blank squares show the
    ; changing backdrop); the palette changes every 4 rows for colour.
    ldx #VRAM_BG1_MAP
    stx VMADDL
    rep #$20
.a16
    ldy #$0000                ; row
@row:
    ldx #$0000                ; column
@col:
    lda #$0002
    cpy #0
    beq @put
    cpy #27                   ; rows 27-31: 27 is the last visible one
    bcs @put
    cpx #0
    beq @put
    cpx #31
    beq @put
    stx tmp
    tya
    eor tmp
    and #$0001
    beq @put                  ; tile 0, palette 0
    tya
    xba                       ; row * 256: row bits 2-3 land in palette bits 10-11
    and #$0C00
    ora #$0001
@put:
    sta VMDATAL               ; 16-bit store writes $2118 then $2119
    inx
    cpx #32
    bne @col
    iny
    cpy #32
    bne @row
    sep #$20
.a8

    ; shadow OAM: every sprite off screen (y = 224), tile 0, in front of BG
    ldx #$0000
@oam:
    stz OAM,x                 ; x
    lda #224
    sta OAM+1,x               ; y
    stz OAM+2,x               ; tile
    lda #$30
    sta OAM+3,x               ; priority 3, palette 0
    inx
    inx
    inx
    inx
    cpx #512
    bne @oam                  ; the high table (x bit 8, size) stays zero
    ; sprite 1 marches along a fixed row with palette 1 so every frame differs
    lda #16
    sta OAM+5
    lda #$32
    sta OAM+7

    ; initial state of the contract variables (WRAM is already zero)
    lda #128
    sta POSX
    lda #112
    sta POSY
    lda #$A5
    sta LFSR
    ldx backdrop_colors
    stx backdrop

    ; mode 0, BG1 + sprites
    stz BGMODE
    lda #(VRAM_BG1_MAP >> 10) << 2
    sta BG1SC
    lda #VRAM_BG1_TILES >> 12
    sta BG12NBA
    lda #VRAM_OBJ_TILES >> 13  ; 8x8 / 16x16 sprites
    sta OBSEL
    lda #$11
    sta TM

    lda RDNMI                 ; drop a stale NMI flag
    lda #$81                  ; NMI + auto-joypad read; the first NMI unblanks
    sta NMITIMEN

main:
    lda nmi_count
@wait:
    cmp nmi_count             ; exactly one pass per NMI, i.e. per frame
    beq @wait
    ; Auto-read starts early in the first vblank line; the NMI handler's OAM
    ; DMA alone takes longer than that, so the busy flag is already up here.
@joypad_busy:
    lda HVBJOY
    and #$01
    bne @joypad_busy

    rep #$20
.a16
    lda JOY1L
    sta PAD1
    lda JOY2L
    sta PAD2
    inc FRAME
    lda FRAME
    sta f:SRAM_FRAME
    sep #$20
.a8

    lda PAD1                  ; low byte: bit 7 = A
    bpl @no_a
    inc ACOUNT
@no_a:

    lda PAD1+1                ; high byte: 3 Up, 2 Down, 1 Left, 0 Right
    bit #$02
    beq @no_left
    dec POSX
@no_left:
    bit #$01
    beq @no_right
    inc POSX
@no_right:
    bit #$08
    beq @no_up
    dec POSY
@no_up:
    bit #$04
    beq @no_down
    inc POSY
@no_down:

    lda LFSR                  ; Galois step, taps $B8 (period 255)
    lsr a
    bcc @lfsr_done
    eor #$B8
@lfsr_done:
    sta LFSR

    ; what the next NMI shows: sprite 0 at (x, y), sprite 1 at x = frame,
    ; backdrop colour picked by frame / 8
    lda POSX
    sta OAM+0
    lda POSY
    sta OAM+1
    lda FRAME
    sta OAM+4
    rep #$20
.a16
    lda FRAME
    lsr a
    lsr a
    and #$001E                ; (frame / 8 mod 16) * 2: index into a word table
    tax
    lda backdrop_colors,x
    sta backdrop
    sep #$20
.a8
    bra main

; DMA Y bytes from bank-0 address X to PPU register $21xx (xx in A).
; A is 8-bit, X/Y 16-bit.
dma_to_ppu:
    sta BBAD0
    stz DMAP0                 ; increment A-bus address, one register
    stx A1T0L
    stz A1B0
    sty DAS0L
    lda #$01
    sta MDMAEN
    rts

; DMA Y bytes from bank-0 address X to VRAM at the current VMADD.
dma_to_vram:
    lda #$01                  ; increment A-bus address, two registers (L, H)
    sta DMAP0
    lda #<VMDATAL
    sta BBAD0
    stx A1T0L
    stz A1B0
    sty DAS0L
    lda #$01
    sta MDMAEN
    rts

; Vblank work: OAM DMA (544 bytes), the backdrop colour, unblank.
nmi:
    rep #$30
.a16
.i16
    pha
    phx
    phy
    phb
    phd
    lda #$0000
    tcd
    sep #$20
.a8
    pha
    plb                       ; data bank $00
    lda RDNMI                 ; acknowledge

    stz OAMADDL
    stz OAMADDL+1
    stz DMAP0
    lda #<OAMDATA
    sta BBAD0
    ldx #OAM
    stx A1T0L
    stz A1B0                  ; $00:0200 is the low-RAM mirror of $7E:0200
    ldx #544
    stx DAS0L
    lda #$01
    sta MDMAEN

    stz CGADD
    lda backdrop
    sta CGDATA
    lda backdrop+1
    sta CGDATA

    lda #$0F
    sta INIDISP               ; screen on, full brightness
    inc nmi_count

    rep #$30
.a16
    pld
    plb
    ply
    plx
    pla
    rti
.a8

; unused interrupts
ignore:
    rti

.segment "RODATA"

zero:
    .byte $00

; BGR555 colours: .word %0bbbbbgggggrrrrr
.define RGB(r, g, b) ((b) << 10 | (g) << 5 | (r))

bg_palette:                   ; colour 0 of palette 0 is the backdrop
    .word RGB(0, 0, 0),   RGB(31, 8, 8),  RGB(31, 24, 4), RGB(31, 31, 31)
    .word RGB(0, 0, 0),   RGB(8, 28, 8),  RGB(31, 24, 4), RGB(31, 31, 31)
    .word RGB(0, 0, 0),   RGB(8, 12, 31), RGB(31, 24, 4), RGB(31, 31, 31)
    .word RGB(0, 0, 0),   RGB(28, 8, 28), RGB(31, 24, 4), RGB(31, 31, 31)
bg_palette_end:

obj_palette:                  ; the solid sprite tile uses colour 15
    .res 15 * 2, $00
    .word RGB(31, 31, 31)
    .res 15 * 2, $00
    .word RGB(31, 31, 0)
obj_palette_end:

backdrop_colors:              ; one per 8 frames, 16 steps
    .word RGB(0, 0, 0),    RGB(0, 0, 12),  RGB(0, 12, 0),  RGB(12, 0, 0)
    .word RGB(0, 12, 12),  RGB(12, 0, 12), RGB(12, 12, 0), RGB(8, 8, 8)
    .word RGB(0, 0, 20),   RGB(0, 20, 0),  RGB(20, 0, 0),  RGB(0, 16, 20)
    .word RGB(20, 0, 16),  RGB(16, 20, 0), RGB(16, 16, 16), RGB(4, 4, 4)

bg_tiles:                     ; 2bpp: 8 rows of (plane 0, plane 1)
    ; tile 0: blank
    .res 16, $00
    ; tile 1: solid colour 1 (checker squares)
    .repeat 8
    .byte $FF, $00
    .endrepeat
    ; tile 2: colour 2 with a colour-3 outline (border)
    .byte $FF, $FF
    .repeat 6
    .byte $81, $FF
    .endrepeat
    .byte $FF, $FF
bg_tiles_end:

obj_tiles:                    ; 4bpp tile 0: solid colour 15
    .res 32, $FF
obj_tiles_end:

.segment "HEADER"             ; $FFC0
    .define TITLE "LIBRETRO-GYM TEST"
    .byte TITLE
    .res 21 - .strlen(TITLE), ' '
    .byte $20                 ; map mode: LoROM, SlowROM
    .byte $02                 ; cartridge: ROM + RAM + battery
    .byte $05                 ; ROM size: 2^5 KiB = 32 KiB
    .byte $01                 ; SRAM size: 2^1 KiB = 2 KiB
    .byte $01                 ; region: North America (NTSC)
    .byte $00                 ; developer ID
    .byte $00                 ; version
    .word $FFFF               ; checksum complement \ placeholders, filled in by
    .word $0000               ; checksum            / fix-checksum.mjs

.segment "VECTORS"            ; $FFE0
    ; native mode
    .word 0, 0
    .word ignore              ; COP
    .word ignore              ; BRK
    .word ignore              ; ABORT
    .word nmi                 ; NMI
    .word 0
    .word ignore              ; IRQ
    ; emulation mode
    .word 0, 0
    .word ignore              ; COP
    .word 0
    .word ignore              ; ABORT
    .word ignore              ; NMI
    .word reset               ; RESET
    .word ignore              ; IRQ / BRK

; Per-frame hot paths in assembly: surface and sector lookups from the ROM
; track tables, the kart's 3x3 wall probe and a signed speed x sine multiply.

        .export _surface_at, _sector_at, _box_solid, _mul_trig
        .exportzp _probe_x, _probe_y, _map_ptr, _sect_ptr, _mul_a, _mul_b
        .import _tsurf0, _tsurf1, _tsurf2, _tsurf3

.segment "ZEROPAGE"
_probe_x:       .res 1
_probe_y:       .res 1
_map_ptr:       .res 2          ; current track's tile map
_sect_ptr:      .res 2          ; current track's sector nibble map
_mul_a:         .res 2
_mul_b:         .res 1
look:           .res 2
tmp:            .res 1
box_x:          .res 1
box_y:          .res 1
prod:           .res 3
sign:           .res 1

.segment "CODE"

; unsigned char surface_at(void): surface (0 road, 1 grass, 2 solid) of
; pixel (probe_x, probe_y). Tile = (y>>3)*32 + (x>>3); the 4x4 quadrant
; picks one of four tile->surface tables.
_surface_at:
        lda _probe_y
        lsr a
        lsr a
        lsr a
        lsr a
        lsr a
        lsr a
        sta look+1              ; y>>6 = high byte of the tile index
        lda _probe_y
        asl a
        asl a
        and #$E0
        sta tmp
        lda _probe_x
        lsr a
        lsr a
        lsr a
        ora tmp
        clc
        adc _map_ptr
        sta look
        lda look+1
        adc _map_ptr+1
        sta look+1
        ldy #0
        lda (look),y
        tax
        lda _probe_y
        and #4
        bne @bottom
        lda _probe_x
        and #4
        bne @tr
        lda _tsurf0,x
        ldx #0
        rts
@tr:    lda _tsurf1,x
        ldx #0
        rts
@bottom:
        lda _probe_x
        and #4
        bne @br
        lda _tsurf2,x
        ldx #0
        rts
@br:    lda _tsurf3,x
        ldx #0
        rts

; unsigned char sector_at(void): sector nibble of pixel (probe_x, probe_y).
; Byte = (y>>2)*32 + (x>>3); low nibble for even 4-pixel columns.
_sector_at:
        lda _probe_y
        lsr a
        lsr a
        lsr a
        lsr a
        lsr a
        sta look+1              ; y>>5 = high byte of the cell-pair index
        lda _probe_y
        asl a
        asl a
        asl a
        and #$E0
        sta tmp
        lda _probe_x
        lsr a
        lsr a
        lsr a
        ora tmp
        clc
        adc _sect_ptr
        sta look
        lda look+1
        adc _sect_ptr+1
        sta look+1
        ldy #0
        lda (look),y
        tay
        lda _probe_x
        and #4
        bne @high
        tya
        and #$0F
        ldx #0
        rts
@high:
        tya
        lsr a
        lsr a
        lsr a
        lsr a
        ldx #0
        rts

; unsigned char box_solid(void): 1 if any of 9 probes at (probe_x, probe_y)
; + {-4,0,4}^2 is solid. Probes 4 px apart catch every 4x4 solid cell the
; 9x9 box overlaps.
_box_solid:
        lda _probe_x
        sta box_x
        lda _probe_y
        sta box_y
        sec
        sbc #4
        sta _probe_y
        ldx #3
@row:
        txa
        pha
        lda box_x
        sec
        sbc #4
        sta _probe_x
        ldy #3
@col:
        tya
        pha
        jsr _surface_at
        cmp #2
        beq @hit
        pla
        tay
        lda _probe_x
        clc
        adc #4
        sta _probe_x
        dey
        bne @col
        pla
        tax
        lda _probe_y
        clc
        adc #4
        sta _probe_y
        dex
        bne @row
        lda #0
        beq @restore
@hit:
        pla
        pla
        lda #1
@restore:
        ldx box_x
        stx _probe_x
        ldx box_y
        stx _probe_y
        ldx #0
        rts

; int mul_trig(void): (mul_a * mul_b) >> 7, mul_a signed 16-bit, mul_b signed
; 8-bit; rounds toward zero so both directions move the same distance.
_mul_trig:
        lda _mul_a+1
        eor _mul_b
        sta sign
        lda _mul_a+1
        bpl @apos
        lda #0
        sec
        sbc _mul_a
        sta _mul_a
        lda #0
        sbc _mul_a+1
        sta _mul_a+1
@apos:
        lda _mul_b
        bpl @bpos
        eor #$FF
        clc
        adc #1
        sta _mul_b
@bpos:
        lda #0
        sta prod
        sta prod+1
        sta prod+2
        ldx #8
@bit:
        asl prod
        rol prod+1
        rol prod+2
        asl _mul_b
        bcc @next
        lda prod
        clc
        adc _mul_a
        sta prod
        lda prod+1
        adc _mul_a+1
        sta prod+1
        bcc @next
        inc prod+2
@next:
        dex
        bne @bit
        asl prod                ; >>7 == <<1 then drop the low byte
        rol prod+1
        rol prod+2
        lda sign
        bpl @pos
        lda #0
        sec
        sbc prod+1
        tay
        lda #0
        sbc prod+2
        tax
        tya
        rts
@pos:
        lda prod+1
        ldx prod+2
        rts

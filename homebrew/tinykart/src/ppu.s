; NMI handler, frame sync, joypad and bulk PPU loads.
; During play the main loop never touches the PPU: it fills the OAM shadow
; and a small VRAM update list, and the NMI uploads both in vblank.

        .export nmi, _wait_frame, _read_pad, _ppu_off, _ppu_on
        .export _ppu_load_screen, _ppu_load_palette, _ppu_fill_screen
        .export _nmi_count, _vbuf, _vbuf_len, _oam
        .exportzp _ppu_ptr
        .importzp tmp1

LAG_FRAMES = $0326              ; fixed RAM map (src/ram.h)
IDLE_SPINS = $032A              ; <u2: wait loops in the last frame (headroom gauge)

.segment "ZEROPAGE"
_nmi_count:     .res 1
nmi_ready:      .res 1          ; main finished this frame's OAM + vbuf
ppu_mask:       .res 1
ppu_ctrl:       .res 1
_ppu_ptr:       .res 2
pad_bits:       .res 1

.segment "OAM"
_oam:           .res 256

.segment "BSS"
_vbuf_len:      .res 1
_vbuf:          .res 96         ; entries: addr hi, addr lo, count, bytes; 0 ends

.segment "CODE"

nmi:
        pha
        txa
        pha
        tya
        pha
        lda nmi_ready
        bne @upload
        inc LAG_FRAMES          ; logic overran a frame (never expected)
        jmp @out
@upload:
        lda #0
        sta $2003
        lda #>_oam
        sta $4014               ; sprite DMA
        ldx #0
@entry:
        lda _vbuf,x
        beq @done
        sta $2006
        lda _vbuf+1,x
        sta $2006
        ldy _vbuf+2,x
        inx
        inx
        inx
@copy:
        lda _vbuf,x
        sta $2007
        inx
        dey
        bne @copy
        jmp @entry
@done:
        lda #0
        sta _vbuf
        sta _vbuf_len
        sta nmi_ready
        lda ppu_ctrl
        sta $2000
        lda #0
        sta $2005
        sta $2005
        lda ppu_mask
        sta $2001
@out:
        inc _nmi_count
        pla
        tay
        pla
        tax
        pla
        rti

; void wait_frame(void): hand this frame's OAM/vbuf to the NMI and wait for it.
; Each idle loop is 16 CPU cycles, so IDLE_SPINS*16 ~ spare cycles of the
; 29780 in an NTSC frame.
_wait_frame:
        lda #0
        sta IDLE_SPINS
        sta IDLE_SPINS+1
        lda #1
        sta nmi_ready
        lda _nmi_count
@wait:
        inc IDLE_SPINS          ; 6
        bne @same               ; 3 (2 when falling through)
        inc IDLE_SPINS+1
@same:
        cmp _nmi_count          ; 3
        beq @wait               ; 3
        rts

; unsigned char read_pad(void): A=$80 B=$40 Select=$20 Start=$10 Up Down Left Right.
_read_pad:
        ldx #1
        stx $4016
        dex
        stx $4016
        ldx #8
@bit:
        lda $4016
        lsr a
        rol pad_bits
        dex
        bne @bit
        lda pad_bits
        rts

; void ppu_off(void): blank the screen at the next vblank, then stop NMIs.
; (At boot NMIs are already off and there is nothing to wait for.)
_ppu_off:
        lda #0
        sta ppu_mask
        bit ppu_ctrl
        bpl @stopped
        jsr _wait_frame
@stopped:
        lda #0
        sta ppu_ctrl
        sta $2000
        rts

; void ppu_on(void): NMIs on (sprites use pattern table 1); show from next frame.
_ppu_on:
        bit $2002
        lda #$88
        sta ppu_ctrl
        sta $2000
        lda #$1E
        sta ppu_mask
        jmp _wait_frame

; void ppu_load_screen(void): 1024 bytes from ppu_ptr to $2000 (960 tiles + 64 attributes
; must be contiguous, as the generator emits them). Rendering must be off.
_ppu_load_screen:
        lda #$20
        sta $2006
        lda #$00
        sta $2006
        ldx #4
        ldy #0
@page:
        lda (_ppu_ptr),y
        sta $2007
        iny
        bne @page
        inc _ppu_ptr+1
        dex
        bne @page
        rts

; void __fastcall__ ppu_fill_screen(unsigned char tile): blank nametable 0, attributes 0.
_ppu_fill_screen:
        sta tmp1
        lda #$20
        sta $2006
        lda #$00
        sta $2006
        ldx #4
        ldy #0
        lda tmp1
@fill:
        cpx #1
        bne @put
        cpy #$C0
        bcc @put
        lda #0                  ; last 64 bytes are the attribute table
@put:
        sta $2007
        iny
        bne @fill
        dex
        bne @fill
        rts

; void ppu_load_palette(void): 32 bytes from ppu_ptr to $3F00.
_ppu_load_palette:
        lda #$3F
        sta $2006
        lda #$00
        sta $2006
        ldy #0
@pal:
        lda (_ppu_ptr),y
        sta $2007
        iny
        cpy #32
        bne @pal
        rts

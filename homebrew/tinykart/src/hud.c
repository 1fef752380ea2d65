/* Race HUD on tile row 2: lap, a centred message, and the race clock.
 * Rewritten every frame through the NMI's VRAM list (27 bytes). The clock
 * ticks digit by digit so no division runs per frame. */
#include "nes.h"
#include "ram.h"
#include "text.h"
#include "tuning.h"
#include "hud.h"

#define HUD_ROW 2

static char clock_txt[7];
static unsigned char clock_fr;
static unsigned char banner;      /* frames left to show a lap banner */
static char lap_txt[1];

static const char msg_blank[] = "         ";
static const char msg_go[]    = "   GO!   ";
static const char msg_wrong[] = "WRONG WAY";
static const char msg_final[] = "FINAL LAP";
static const char msg_lap2[]  = "  LAP 2  ";
static const char msg_done[]  = " FINISH! ";
static const char msg_3[]     = "    3    ";
static const char msg_2[]     = "    2    ";
static const char msg_1[]     = "    1    ";

void hud_static(void)
{
    unsigned char i;
    ppu_text(2, HUD_ROW, "LAP 1/3");
    ppu_text(24, HUD_ROW, "0:00.00");
    for (i = 0; i < 7; ++i) clock_txt[i] = "0:00.00"[i];
    clock_fr = 0;
    banner = 0;
}

void hud_lap_banner(void)
{
    banner = 90;
}

void hud_tick_clock(void)
{
    unsigned char cs;
    if (++clock_fr == 60) {
        clock_fr = 0;
        if (++clock_txt[3] > '9') {
            clock_txt[3] = '0';
            if (++clock_txt[2] > '5') {
                clock_txt[2] = '0';
                if (clock_txt[0] < '9') ++clock_txt[0];
            }
        }
    }
    cs = centis[clock_fr];
    clock_txt[5] = '0' + cs / 10;
    clock_txt[6] = '0' + cs % 10;
}

static const char *message(void)
{
    unsigned char c = COUNTDOWN;
    if (MODE == MODE_COUNTDOWN) return c > 40 ? msg_3 : (c > 20 ? msg_2 : msg_1);
    if (MODE == MODE_FINISHED) return msg_done;
    if (BACKWARD) return (nmi_count & 16) ? msg_wrong : msg_blank;
    if (RACE_TIMER < 45) return msg_go;
    if (banner) {
        --banner;
        return (LAP == LAPS - 1) ? msg_final : msg_lap2;
    }
    return msg_blank;
}

void hud_frame(void)
{
    unsigned char shown = LAP + 1;
    if (shown > LAPS) shown = LAPS;
    lap_txt[0] = '0' + shown;
    vbuf_len = 0;
    vbuf_put(NT_ADDR(6, HUD_ROW), lap_txt, 1);
    vbuf_put(NT_ADDR(11, HUD_ROW), message(), 9);
    vbuf_put(NT_ADDR(24, HUD_ROW), clock_txt, 7);
}

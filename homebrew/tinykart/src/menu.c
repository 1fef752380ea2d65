/* Title screen and track menu: Up/Down choose, Start races. */
#include "nes.h"
#include "ram.h"
#include "screens.h"
#include "sprites.h"

#define TRACK_ROW0 15   /* matches gen/title.s: names on rows 15, 17, 19 */
#define TRACK_COL  12

static void draw_cursor(void)
{
    sprite_kart((TRACK_COL - 3) * 8, (TRACK_ROW0 + 2 * MENU_CURSOR) * 8 - 4, 0);
}

void menu_enter(void)
{
    ppu_off();
    ppu_ptr = title_map;
    ppu_load_screen();
    ppu_ptr = title_pal;
    ppu_load_palette();
    sprites_hide();
    MODE = MODE_TITLE;
    draw_cursor();
    ppu_on();
}

void menu_frame(unsigned char pressed)
{
    if (pressed & BTN_UP) MENU_CURSOR = MENU_CURSOR ? MENU_CURSOR - 1 : 2;
    if (pressed & BTN_DOWN) MENU_CURSOR = (MENU_CURSOR == 2) ? 0 : MENU_CURSOR + 1;
    if (pressed & BTN_START) {
        race_enter(MENU_CURSOR);
        return;
    }
    draw_cursor();
}

/* TinyKart: a small top-down kart racer for the NES, built for RL.
 * One frame per loop: sync to vblank, read the pad, run the current screen. */
#include "nes.h"
#include "ram.h"
#include "screens.h"

void main(void)
{
    unsigned char prev, pressed;

    menu_enter();
    for (;;) {
        wait_frame();
        prev = PAD;
        PAD = read_pad();
        pressed = PAD & (unsigned char)~prev;
        switch (MODE) {
        case MODE_TITLE:
            menu_frame(pressed);
            break;
        case MODE_RESULTS:
            results_frame(pressed);
            break;
        default:
            race_frame(PAD);
            break;
        }
    }
}

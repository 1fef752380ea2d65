/* Memory-mapped registers of the N64 RCP, reached through KSEG1 (uncached). Addresses and bit meanings are
 * public hardware facts (n64brew wiki); only the ones this ROM uses are named. */
#ifndef N64TEST_HW_H
#define N64TEST_HW_H

#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))

/* CPU address <-> physical address */
#define KSEG0 0x80000000u
#define KSEG1 0xA0000000u
#define PHYS(ptr) ((uint32_t)(ptr) & 0x1FFFFFFFu)
#define UNCACHED(phys) ((uint32_t)(phys) | KSEG1)

/* RDP command interface (DPC) */
#define DPC_START REG(0xA4100000u)
#define DPC_END REG(0xA4100004u)
#define DPC_STATUS REG(0xA410000Cu)
#define DPC_STATUS_START_VALID 0x400u
#define DPC_STATUS_END_VALID 0x200u
#define DPC_CLR_XBUS 0x001u

/* MIPS interface: interrupt lines of the RCP */
#define MI_MODE REG(0xA4300000u)
#define MI_INTR REG(0xA4300008u)
#define MI_INTR_SI 0x02u
#define MI_INTR_VI 0x08u
#define MI_INTR_DP 0x20u
#define MI_MODE_CLR_DP 0x800u

/* Video interface */
#define VI_STATUS REG(0xA4400000u)
#define VI_ORIGIN REG(0xA4400004u)
#define VI_WIDTH REG(0xA4400008u)
#define VI_V_INTR REG(0xA440000Cu)
#define VI_CURRENT REG(0xA4400010u) /* any write acknowledges the VI interrupt */
#define VI_BURST REG(0xA4400014u)
#define VI_V_SYNC REG(0xA4400018u)
#define VI_H_SYNC REG(0xA440001Cu)
#define VI_LEAP REG(0xA4400020u)
#define VI_H_START REG(0xA4400024u)
#define VI_V_START REG(0xA4400028u)
#define VI_V_BURST REG(0xA440002Cu)
#define VI_X_SCALE REG(0xA4400030u)
#define VI_Y_SCALE REG(0xA4400034u)

/* Serial interface: DMA between RDRAM and PIF RAM */
#define SI_DRAM_ADDR REG(0xA4800000u)
#define SI_PIF_ADDR_RD64B REG(0xA4800004u)
#define SI_PIF_ADDR_WR64B REG(0xA4800010u)
#define SI_STATUS REG(0xA4800018u) /* any write acknowledges the SI interrupt */
#define SI_STATUS_BUSY 0x03u       /* DMA busy | IO busy */
#define PIF_RAM_PHYS 0x1FC007C0u

#endif

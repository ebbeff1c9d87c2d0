package dev.bitweave.backend.hls;

import dev.bitweave.board.Board;

import java.util.List;

/**
 * The hard processor of a Zynq family as a Vivado IP: its name, pins and the CONFIG properties the
 * bitweave block design sets. Names follow Vivado 2023.2's zynq_ultra_ps_e and processing_system7.
 *
 * @param ipName             IP catalog name (the VLNV is looked up in the script, so any Vivado version's works)
 * @param automationRule     apply_bd_automation rule that makes the board-level pins external, or "" when none are needed
 * @param masterInterface    the general-purpose AXI master that reaches the kernel's registers
 * @param masterClockPin     its clock input
 * @param clockOut           the PL clock output that becomes the kernel clock
 * @param resetOut           the matching active-low reset output
 * @param irqIn              the PL-to-PS interrupt input the kernel's interrupt drives
 * @param hpPorts            how many high-performance slave ports there are
 * @param maxHpWidthBits     widest data width of one HP port
 * @param clockFrequencyProperty CONFIG property holding the PL clock in MHz
 * @param baseProperties     properties set regardless of the board: master on, others off, interrupt on
 * @param ultraScale         true for zynq_ultra_ps_e, false for processing_system7
 */
public record ProcessingSystem(String ipName, String automationRule, String masterInterface, String masterClockPin,
                               String clockOut, String resetOut, String irqIn, int hpPorts, int maxHpWidthBits,
                               String clockFrequencyProperty, List<ZynqBlockDesign.Property> baseProperties,
                               boolean ultraScale) {

    public static ProcessingSystem forFamily(Board.Family family) {
        return switch (family) {
            case XCUP -> new ProcessingSystem("zynq_ultra_ps_e", "", "M_AXI_HPM0_FPD", "maxihpm0_fpd_aclk",
                    "pl_clk0", "pl_resetn0", "pl_ps_irq0", 4, 128, "PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ",
                    List.of(p("PSU__USE__M_AXI_GP0", "1"), // HPM0_FPD on: the register window
                            p("PSU__USE__M_AXI_GP1", "0"), // HPM1_FPD and HPM0_LPD off: an enabled master needs its clock wired
                            p("PSU__USE__M_AXI_GP2", "0"),
                            p("PSU__FPGA_PL0_ENABLE", "1"),
                            p("PSU__USE__IRQ0", "1")), true);
            // Zynq-7000 has DDR and MIO as board-level pins, which must be made external.
            case XC7 -> new ProcessingSystem("processing_system7", "xilinx.com:bd_rule:processing_system7", "M_AXI_GP0",
                    "M_AXI_GP0_ACLK", "FCLK_CLK0", "FCLK_RESET0_N", "IRQ_F2P", 4, 64, "PCW_FPGA0_PERIPHERAL_FREQMHZ",
                    List.of(p("PCW_USE_M_AXI_GP0", "1"),
                            p("PCW_EN_CLK0_PORT", "1"),
                            p("PCW_EN_RST0_PORT", "1"),
                            p("PCW_USE_FABRIC_INTERRUPT", "1"),
                            p("PCW_IRQ_F2P_INTR", "1")), false);
            case ICE40 -> throw new IllegalArgumentException("iCE40 devices have no processing system");
        };
    }

    private static ZynqBlockDesign.Property p(String name, String value) {
        return new ZynqBlockDesign.Property(name, value);
    }

    /** Slave interface of HP port i: S_AXI_HPi_FPD on UltraScale+, S_AXI_HPi on Zynq-7000. */
    public String hpInterface(int i) {
        return ultraScale ? "S_AXI_HP" + i + "_FPD" : "S_AXI_HP" + i;
    }

    public String hpClockPin(int i) {
        return ultraScale ? "saxihp" + i + "_fpd_aclk" : "S_AXI_HP" + i + "_ACLK";
    }

    /** UltraScale+ counts its PL slave ports as S_AXI_GP0..6, where HP0..3 are GP2..5. */
    public String hpEnableProperty(int i) {
        return ultraScale ? "PSU__USE__S_AXI_GP" + (i + 2) : "PCW_USE_S_AXI_HP" + i;
    }

    public String hpWidthProperty(int i) {
        return ultraScale ? "PSU__SAXIGP" + (i + 2) + "__DATA_WIDTH" : "PCW_S_AXI_HP" + i + "_DATA_WIDTH";
    }
}

package dev.bitweave.backend.hls;

import dev.bitweave.backend.rtl.VerilogIdentifier;
import dev.bitweave.board.Board;

import java.util.ArrayList;
import java.util.List;

/**
 * The Vivado block design around the exported HLS IP on a Zynq board: the processing system, its
 * AXI master to the kernel's control registers, one HP slave port per kernel m_axi port, the PL
 * clock at the board's kernel clock and the reset. Every name and property the script prints is
 * decided here; block_design.tcl only loops over it.
 *
 * @param project        Vivado project and directory name
 * @param design         block design name (the wrapper is design + "_wrapper")
 * @param ps             the processing system of the board's family
 * @param psCell         its cell
 * @param psProperties   CONFIG.* properties set on the PS cell, in order
 * @param kernelCell     cell of the HLS IP
 * @param controlSmc     smartconnect between the PS master and s_axi_control
 * @param memoryLinks    kernel m_axi port -> its smartconnect -> a PS HP port
 * @param clockPins      every pin driven by the PS's PL clock (cell/pin)
 * @param resetPins      every active-low reset driven by the reset block (cell/pin)
 * @param resetCell      proc_sys_reset cell
 * @param clock          the kernel clock
 */
public record ZynqBlockDesign(String project, String design, ProcessingSystem ps, String psCell, List<Property> psProperties,
                              String kernelCell, String controlSmc, List<MemoryLink> memoryLinks,
                              List<String> clockPins, List<String> resetPins, String resetCell, KernelClock clock) {

    /** A CONFIG.* property of an IP cell. */
    public record Property(String name, String value) {
    }

    /**
     * @param port        the kernel's m_axi port
     * @param kernelPin   kernel-cell interface (cell/m_axi_bundle)
     * @param smc         the smartconnect cell in between (it adapts the kernel's 64-bit addresses and
     *                    AXI4 bursts to the HP port)
     * @param hpInterface PS slave interface (cell/S_AXI_HPn...)
     */
    public record MemoryLink(MemoryPort port, String kernelPin, String smc, String hpInterface) {
    }

    public static final String PS_CELL = "zynq_ps";
    public static final String KERNEL_CELL = HlsKernel.TOP + "_0";
    public static final String CONTROL_SMC = "ctrl_smc";
    public static final String RESET_CELL = "pl_reset";

    public static ZynqBlockDesign forBoard(Board board) {
        ProcessingSystem ps = ProcessingSystem.forFamily(board.family());
        KernelClock clock = new KernelClock(board.kernelClockMHz());
        String project = VerilogIdentifier.require("Vivado project", "bitweave_" + board.name().replace('-', '_'));
        // The kernel's m_axi ports are the board's bus width; an HP port narrower than that would halve the stream.
        int hpWidth = Math.min(board.busWidthBits(), ps.maxHpWidthBits());
        List<Property> props = new ArrayList<>(ps.baseProperties());
        props.add(new Property(ps.clockFrequencyProperty(), clock.mhzText()));
        List<MemoryLink> links = new ArrayList<>();
        List<String> clockPins = new ArrayList<>(List.of(KERNEL_CELL + "/ap_clk", RESET_CELL + "/slowest_sync_clk", CONTROL_SMC + "/aclk",
                PS_CELL + "/" + ps.masterClockPin()));
        List<String> resetPins = new ArrayList<>(List.of(KERNEL_CELL + "/ap_rst_n", CONTROL_SMC + "/aresetn"));
        int hpPorts = Math.min(board.memoryPorts(), ps.hpPorts());
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < HlsKernel.MEMORY_PORTS.size(); i++) {
            MemoryPort port = HlsKernel.MEMORY_PORTS.get(i);
            // One HP port each while the board has enough, so weights never share a port with KV or I/O traffic.
            int hp = i % hpPorts;
            String smc = VerilogIdentifier.require("smartconnect", "smc_" + port.bundle());
            links.add(new MemoryLink(port, KERNEL_CELL + "/" + port.ipInterface(), smc, PS_CELL + "/" + ps.hpInterface(hp)));
            clockPins.add(smc + "/aclk");
            resetPins.add(smc + "/aresetn");
            if (!used.contains(hp)) {
                used.add(hp);
                props.add(new Property(ps.hpEnableProperty(hp), "1"));
                props.add(new Property(ps.hpWidthProperty(hp), Integer.toString(hpWidth)));
                clockPins.add(PS_CELL + "/" + ps.hpClockPin(hp));
            }
        }
        return new ZynqBlockDesign(project, "bitweave", ps, PS_CELL, List.copyOf(props), KERNEL_CELL, CONTROL_SMC, List.copyOf(links),
                List.copyOf(clockPins), List.copyOf(resetPins), RESET_CELL, clock);
    }
}

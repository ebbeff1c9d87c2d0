// Test-only bitweave_top: a DMA copy engine with exactly the ports of docs/hardware.md.
// It exercises the simulated board (register bus, AXI read and write slaves, irq, soft reset)
// without the real accelerator. Extra registers beyond the standard map configure the copy:
//   0x40/0x44 SRC lo/hi, 0x48/0x4C DST lo/hi (byte addresses, aligned to BURST beats)
//   0x50 LEN (bytes, a multiple of BURST beats), 0x54 BURST (beats per burst, 1..DEPTH)
//   0x58 MODE: bit 0 read only (no writes; done when the last beat arrives),
//              bit 1 hang (never raise done, so a host wait must time out)
// BURST out of range makes start fail with STATUS.error and ERROR = 2.
`default_nettype none
module bitweave_top #(parameter BUS = 512) (
  input  wire            clk,
  input  wire            rst,
  input  wire            reg_we,
  input  wire [7:0]      reg_addr,
  input  wire [31:0]     reg_wdata,
  output reg  [31:0]     reg_rdata,
  output wire            m_arvalid,  input  wire m_arready,
  output wire [63:0]     m_araddr,   output wire [7:0] m_arlen,
  input  wire            m_rvalid,   output wire m_rready,
  input  wire [BUS-1:0]  m_rdata,    input  wire m_rlast,
  output wire            m_awvalid,  input  wire m_awready,
  output wire [63:0]     m_awaddr,   output wire [7:0] m_awlen,
  output wire            m_wvalid,   input  wire m_wready,
  output wire [BUS-1:0]  m_wdata,    output wire [BUS/8-1:0] m_wstrb,
  output wire            m_wlast,
  input  wire            m_bvalid,   output wire m_bready,
  output wire            irq
);
  localparam integer BEAT_SHIFT = $clog2(BUS / 8);
  localparam integer DEPTH = 64;           // FIFO beats, also the largest burst
  localparam integer PTR = 6;              // log2(DEPTH)

  // configuration
  reg [63:0] prog, stats, src, dst;
  reg [31:0] len;
  reg [8:0]  burst;
  reg [1:0]  mode;
  // run state
  reg        busy, done, error;
  reg [31:0] err_code;
  reg [63:0] cycles;
  reg [31:0] ar_beats, r_beats, aw_beats, b_beats, reserved;
  reg [1:0]  aw_ahead;   // bursts whose AW went out and whose W beats have not all gone
  reg [8:0]  w_idx;      // beats of the current W burst already sent
  reg [BUS-1:0] fifo [0:DEPTH-1];
  reg [PTR-1:0] wr_ptr, rd_ptr;
  reg [PTR:0]   count;

  wire [31:0] total = len >> BEAT_SHIFT;
  wire        read_only = mode[0];
  wire        hang = mode[1];
  wire [31:0] burst32 = {23'd0, burst};

  wire ctl_write = reg_we && reg_addr == 8'h08;
  wire start = ctl_write && reg_wdata[0] && !reg_wdata[1];
  wire soft_reset = ctl_write && reg_wdata[1];
  wire burst_ok = burst != 9'd0 && burst32 <= DEPTH;

  assign m_arvalid = busy && ar_beats < total && (read_only || reserved + burst32 <= DEPTH);
  assign m_araddr  = src + ({32'd0, ar_beats} << BEAT_SHIFT);
  assign m_arlen   = burst[7:0] - 8'd1;
  assign m_rready  = 1'b1;                 // the FIFO space was reserved when the AR went out
  // AW runs up to two bursts ahead of W, so a burst's AW never costs a W cycle.
  assign m_awvalid = busy && !read_only && aw_beats < total && aw_ahead != 2'd2;
  assign m_awaddr  = dst + ({32'd0, aw_beats} << BEAT_SHIFT);
  assign m_awlen   = burst[7:0] - 8'd1;
  assign m_wvalid  = aw_ahead != 2'd0 && count != 0;
  assign m_wdata   = fifo[rd_ptr];
  assign m_wstrb   = {(BUS/8){1'b1}};
  assign m_wlast   = w_idx == burst - 9'd1;
  assign m_bready  = 1'b1;
  assign irq       = done;

  wire ar_fire = m_arvalid && m_arready;
  wire r_fire  = m_rvalid && m_rready;
  wire aw_fire = m_awvalid && m_awready;
  wire w_fire  = m_wvalid && m_wready;
  wire b_fire  = m_bvalid && m_bready;
  wire push = r_fire && !read_only;
  wire w_end = w_fire && m_wlast;
  wire complete = read_only ? r_beats == total : b_beats == total;

  always @* begin
    case (reg_addr)
      8'h00: reg_rdata = 32'h42575631;
      8'h04: reg_rdata = 32'h00010000 | BUS;  // MODES bit 16 (width 2) only to fill the field
      8'h0C: reg_rdata = {29'd0, error, done, busy};
      8'h10: reg_rdata = prog[31:0];
      8'h14: reg_rdata = prog[63:32];
      8'h18: reg_rdata = stats[31:0];
      8'h1C: reg_rdata = stats[63:32];
      8'h20: reg_rdata = r_beats;
      8'h24: reg_rdata = err_code;
      8'h28: reg_rdata = cycles[31:0];
      8'h2C: reg_rdata = cycles[63:32];
      8'h40: reg_rdata = src[31:0];
      8'h44: reg_rdata = src[63:32];
      8'h48: reg_rdata = dst[31:0];
      8'h4C: reg_rdata = dst[63:32];
      8'h50: reg_rdata = len;
      8'h54: reg_rdata = {23'd0, burst};
      8'h58: reg_rdata = {30'd0, mode};
      default: reg_rdata = 32'd0;
    endcase
  end

  // configuration registers survive soft reset, like the real design's PROG and STATS
  always @(posedge clk) begin
    if (rst) begin
      prog <= 64'd0; stats <= 64'd0; src <= 64'd0; dst <= 64'd0;
      len <= 32'd0; burst <= 9'd16; mode <= 2'd0;
    end else if (reg_we) begin
      case (reg_addr)
        8'h10: prog[31:0] <= reg_wdata;
        8'h14: prog[63:32] <= reg_wdata;
        8'h18: stats[31:0] <= reg_wdata;
        8'h1C: stats[63:32] <= reg_wdata;
        8'h40: src[31:0] <= reg_wdata;
        8'h44: src[63:32] <= reg_wdata;
        8'h48: dst[31:0] <= reg_wdata;
        8'h4C: dst[63:32] <= reg_wdata;
        8'h50: len <= reg_wdata;
        8'h54: burst <= reg_wdata[8:0];
        8'h58: mode <= reg_wdata[1:0];
        default: ;
      endcase
    end
  end

  always @(posedge clk) begin
    if (rst || soft_reset || start) begin
      busy <= start && burst_ok;
      done <= start && !burst_ok;
      error <= start && !burst_ok;
      err_code <= (start && !burst_ok) ? 32'd2 : 32'd0;
      cycles <= 64'd0;
      ar_beats <= 32'd0; r_beats <= 32'd0; aw_beats <= 32'd0; b_beats <= 32'd0;
      reserved <= 32'd0;
      aw_ahead <= 2'd0; w_idx <= 9'd0;
      wr_ptr <= {PTR{1'b0}}; rd_ptr <= {PTR{1'b0}}; count <= {(PTR+1){1'b0}};
    end else begin
      if (busy) cycles <= cycles + 64'd1;
      if (ar_fire) ar_beats <= ar_beats + burst32;
      if (r_fire) r_beats <= r_beats + 32'd1;
      if (push) begin
        fifo[wr_ptr] <= m_rdata;
        wr_ptr <= wr_ptr + 1'b1;
      end
      if (w_fire) rd_ptr <= rd_ptr + 1'b1;
      count <= count + {{PTR{1'b0}}, push} - {{PTR{1'b0}}, w_fire};
      reserved <= reserved + (ar_fire && !read_only ? burst32 : 32'd0) - {31'd0, w_fire};
      if (aw_fire) aw_beats <= aw_beats + burst32;
      aw_ahead <= aw_ahead + {1'b0, aw_fire} - {1'b0, w_end};
      if (w_fire) w_idx <= m_wlast ? 9'd0 : w_idx + 9'd1;
      if (b_fire) b_beats <= b_beats + burst32;
      if (busy && complete && !hang) begin
        busy <= 1'b0;
        done <= 1'b1;
      end
    end
  end

  // m_rlast is implied by the burst length; the unused bits are the register write data
  // beyond the fields and the FIFO's last-beat flag.
  wire unused = &{1'b0, m_rlast, reg_wdata[31:9]};
endmodule
`default_nettype wire

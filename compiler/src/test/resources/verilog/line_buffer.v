// A DEPTH x WIDTH simple dual-port RAM with a registered read: the shape of an activation
// buffer, sized to infer block RAM (SB_RAM40_4K on iCE40).
module line_buffer #(
  parameter DEPTH = 512,
  parameter WIDTH = 16,
  parameter AW = 9
) (
  input  wire             clk,
  input  wire             we,
  input  wire [AW-1:0]    waddr,
  input  wire [WIDTH-1:0] wdata,
  input  wire [AW-1:0]    raddr,
  output reg  [WIDTH-1:0] rdata
);
  reg [WIDTH-1:0] mem [0:DEPTH-1];
  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    rdata <= mem[raddr];
  end
endmodule

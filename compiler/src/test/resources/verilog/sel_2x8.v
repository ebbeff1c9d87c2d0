// The same product as mul_2x8, written as a select: a 2-bit code is -2, -1, 0 or 1, so the
// product is -2x, -x, 0 or x, an adder's worth of logic rather than a multiplier.
module sel_2x8 (
  input  wire              clk,
  input  wire signed [1:0] w,
  input  wire signed [7:0] x,
  output reg  signed [9:0] p
);
  wire signed [9:0] x10 = {{2{x[7]}}, x};
  always @(posedge clk) begin
    case (w)
      2'b01:   p <= x10;
      2'b11:   p <= -x10;
      2'b10:   p <= -(x10 <<< 1);
      default: p <= 10'sd0;
    endcase
  end
endmodule

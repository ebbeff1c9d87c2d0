// A signed 2-bit weight code times a signed 8-bit activation, written as a multiply.
module mul_2x8 (
  input  wire              clk,
  input  wire signed [1:0] w,
  input  wire signed [7:0] x,
  output reg  signed [9:0] p
);
  always @(posedge clk) p <= w * x;
endmodule

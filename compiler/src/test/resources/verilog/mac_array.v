// N lanes of signed W x W multiply-accumulate: every cycle, lane i adds a[i] * b[i] to its
// ACC-bit accumulator. The multiply is wide enough (2W-bit product) for both DSP48 and SB_MAC16.
module mac_array #(
  parameter N = 2,
  parameter W = 8,
  parameter ACC = 32
) (
  input  wire             clk,
  input  wire             rst,
  input  wire [N*W-1:0]   a,
  input  wire [N*W-1:0]   b,
  output wire [N*ACC-1:0] acc
);
  genvar i;
  generate
    for (i = 0; i < N; i = i + 1) begin : lane
      wire signed [W-1:0]   x = a[i*W +: W];
      wire signed [W-1:0]   y = b[i*W +: W];
      wire signed [2*W-1:0] p = x * y;
      reg  signed [ACC-1:0] sum;
      always @(posedge clk) begin
        if (rst) sum <= {ACC{1'b0}};
        else     sum <= sum + {{(ACC-2*W){p[2*W-1]}}, p};
      end
      assign acc[i*ACC +: ACC] = sum;
    end
  endgenerate
endmodule

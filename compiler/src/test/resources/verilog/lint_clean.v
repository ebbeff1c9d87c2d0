// Lint-clean: a registered 8-bit adder with a synchronous reset; every bit is used and driven.
module lint_clean (
  input  wire       clk,
  input  wire       rst,
  input  wire [7:0] a,
  input  wire [7:0] b,
  output reg  [8:0] sum
);
  always @(posedge clk) begin
    if (rst) sum <= 9'd0;
    else     sum <= {1'b0, a} + {1'b0, b};
  end
endmodule

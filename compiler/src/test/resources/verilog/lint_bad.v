// Two deliberate lint findings: an 8-bit value assigned to a 4-bit register (WIDTH, and its
// upper bits then unused: UNUSEDSIGNAL) and an input nobody reads (UNUSEDSIGNAL).
module lint_bad (
  input  wire       clk,
  input  wire [7:0] a,
  input  wire [7:0] spare,
  output reg  [3:0] y
);
  always @(posedge clk) y <= a;
endmodule

// Rupiah as the office prints it: no space after "Rp", dots between thousands, no decimals (sen are not used).

export function formatRupiah(amount: number): string {
  const whole = Math.round(Math.abs(amount));
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amount < 0 && whole !== 0 ? '-' : ''}Rp${grouped}`;
}

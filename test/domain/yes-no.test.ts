import { describe, expect, it } from 'vitest';
import { isAcknowledgement } from '../../src/domain/acknowledgement.ts';
import { yesOrNo } from '../../src/domain/yes-no.ts';

describe('yesOrNo', () => {
  it.each(['ya', 'Ya.', 'iya', 'iya pak', 'ok', 'OK kirim', 'kirim', 'kirim saja', 'benar', 'sudah benar', 'betul bu', 'yes', 'Yes please', 'send', 'sure', 'okay', '👍'])('reads "%s" as yes', (text) => {
    expect(yesOrNo(text)).toBe('yes');
  });
  it.each(['tidak', 'Tidak pak', 'tdk', 'gak', 'jangan', 'tidak usah', 'nanti dulu', 'belum', 'no', 'nope', 'not now', '👎'])('reads "%s" as no', (text) => {
    expect(yesOrNo(text)).toBe('no');
  });
  it.each(['', 'halo', 'ya tidak', 'kirim ke kantor camat besok', 'mungkin', 'ok tapi nanti', '12'])('reads "%s" as neither', (text) => {
    expect(yesOrNo(text)).toBeUndefined();
  });
});

describe('isAcknowledgement', () => {
  it.each(['baik pak terima kasih infonya', 'makasih bu', 'Terima kasih banyak atas bantuannya', 'ok', 'siap', 'oke siap pak', 'baik', 'trims', 'alhamdulillah sudah cair', '👍', '🙏', 'thanks', 'thank you', 'ok noted', 'got it, thanks'])('"%s" only acknowledges', (text) => {
    expect(isAcknowledgement(text)).toBe(true);
  });
  it.each(['belum selesai', 'masih belum pak', 'not solved', 'terima kasih tapi kapan cairnya', 'ok?', 'baik, saya mau tanya lagi', 'bantuan belum masuk', 'thanks but it is still not there', 'Kelurahan Tembesi, hari Senin pagi', '', 'NIK saya 2171105203850001'])('"%s" asks for more', (text) => {
    expect(isAcknowledgement(text)).toBe(false);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeTelegram, callbackUpdate, contactUpdate, textUpdate } from '../../fakes/telegram.ts';
import { startServiceProcess, waitForStatus, type ServiceProcess } from '../../helpers/process.ts';

// The whole service as `npm start` runs it, with only settings pointing Telegram at the fake Bot API:
// grammY's long polling brings updates in, the outbox dispatcher sends the replies out.
describe('the service with Telegram switched on (polling)', () => {
  let fake: FakeTelegram;
  let svc: ServiceProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'pintu-tg-'));

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    svc = await startServiceProcess({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_MODE: 'polling',
      OUTBOX_POLL_MS: '50',
    });
    await waitForStatus(`http://127.0.0.1:${svc.port}/health`, 200, 60_000, svc.output);
  }, 90_000);
  afterAll(async () => {
    svc?.child.kill('SIGTERM');
    await svc?.exited;
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a Telegram user check Siti Aminah\'s aid with buttons and typing', async () => {
    const siti = { id: 5550001, firstName: 'Siti', languageCode: 'id' };
    const last = () => fake.sent(siti.id).at(-1);
    fake.pushUpdate(textUpdate(siti, '/start'));
    await fake.waitFor(() => fake.sent(siti.id).some((m) => m.replyMarkup?.inline_keyboard), 15_000, 'welcome with language buttons');
    fake.pushUpdate(callbackUpdate(siti, 'id', last()));
    await fake.waitFor(() => (last()?.text ?? '').includes('Ada yang bisa kami bantu'), 15_000, 'menu');
    fake.pushUpdate(callbackUpdate(siti, 'aid', last()));
    await fake.waitFor(() => (last()?.text ?? '').includes('NIK'), 15_000, 'NIK question');
    fake.pushUpdate(textUpdate(siti, '2171105203850001'));
    await fake.waitFor(() => (last()?.text ?? '').includes('nomor KK'), 15_000, 'KK number question');
    fake.pushUpdate(textUpdate(siti, '2171100207180005'));
    await fake.waitFor(() => (last()?.text ?? '').toLowerCase().includes('tanggal lahir'), 15_000, 'birth date question');
    fake.pushUpdate(textUpdate(siti, '12-03-1985'));
    // Knowledge alone: the public view and the ways to prove it is her, with the button to share her number.
    await fake.waitFor(() => (last()?.replyMarkup?.keyboard ?? []).flat().some((b) => b.request_contact === true), 15_000, 'the ways to prove it');
    expect(fake.sent(siti.id).some((m) => (m.text ?? '').includes('Program Keluarga Harapan'))).toBe(true);
    expect(fake.sent(siti.id).some((m) => (m.text ?? '').includes('S*** A****'))).toBe(false);
    // She shares the number of her own account, the family's registry phone (0812-7700-1001): the aid summary.
    fake.pushUpdate(contactUpdate(siti, '+6281277001001', siti.id));
    await fake.waitFor(() => fake.sent(siti.id).some((m) => (m.text ?? '').includes('Ya, keluarga Bapak/Ibu menerima')), 15_000, 'aid summary');

    const texts = fake.sent(siti.id).map((m) => m.text ?? '');
    expect(texts.join('\n')).toContain('identitas sudah terverifikasi');
    expect(texts.join('\n')).not.toContain('2171105203850001');
    expect(texts.join('\n')).not.toContain('2171100207180005');
    expect(fake.callsOf('answerCallbackQuery').length).toBeGreaterThanOrEqual(2);
    // One message a second per chat at most: Telegram's own limit.
    const times = fake.sendTimes(siti.id);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
    const health = await (await fetch(`http://127.0.0.1:${svc.port}/health`)).json();
    expect(health.components.telegram).toMatchObject({ mode: 'polling', state: 'running' });
  }, 90_000);
});

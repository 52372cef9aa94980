import { cannedResponses } from '../../db/schema/index.ts';
import type { Tx } from '../../db/client.ts';

// A few general canned replies per language, so the demo's reply picker is not empty. Written the way the
// office answers: "Bapak/Ibu", short sentences, and the variables of services/staff/canned-responses.ts.

export const DEMO_CANNED_RESPONSES: { title: string; language: 'id' | 'en'; body: string }[] = [
  {
    title: 'Laporan diterima',
    language: 'id',
    body: 'Yth. Bapak/Ibu {{nama}}, terima kasih. Laporan {{nomor_tiket}} sudah kami terima dan sedang kami periksa. Kami akan memberi kabar paling lambat 3 hari kerja.',
  },
  {
    title: 'Mohon datang membawa dokumen',
    language: 'id',
    body: 'Yth. Bapak/Ibu {{nama}}, untuk menindaklanjuti laporan {{nomor_tiket}}, mohon datang ke kantor Kecamatan {{kecamatan}} pada hari kerja dengan membawa KTP dan Kartu Keluarga asli. Terima kasih.',
  },
  {
    title: 'Sedang ditindaklanjuti',
    language: 'id',
    body: 'Yth. Bapak/Ibu {{nama}}, laporan {{nomor_tiket}} sedang kami tindak lanjuti bersama petugas Kecamatan {{kecamatan}}. Mohon ditunggu. Salam, {{petugas}}.',
  },
  {
    title: 'Selesai ditangani',
    language: 'id',
    body: 'Yth. Bapak/Ibu {{nama}}, laporan {{nomor_tiket}} sudah selesai kami tangani. Jika masih ada kendala, silakan balas pesan ini. Terima kasih.',
  },
  {
    title: 'Report received',
    language: 'en',
    body: 'Dear {{nama}}, thank you. We have received report {{nomor_tiket}} and are looking into it. We will get back to you within 3 working days.',
  },
  {
    title: 'Please bring your documents',
    language: 'en',
    body: 'Dear {{nama}}, to follow up report {{nomor_tiket}}, please come to the {{kecamatan}} kecamatan office on a working day with your original KTP and family card (KK). Thank you.',
  },
  {
    title: 'In progress',
    language: 'en',
    body: 'Dear {{nama}}, we are following up report {{nomor_tiket}} with the officers of {{kecamatan}}. Thank you for your patience. Regards, {{petugas}}.',
  },
  {
    title: 'Resolved',
    language: 'en',
    body: 'Dear {{nama}}, report {{nomor_tiket}} has been resolved. If anything is still wrong, please reply to this message. Thank you.',
  },
];

/** Only into an empty table: a second city on the same database, or an office's own texts, are left alone. */
export async function writeDemoCannedResponses(tx: Tx): Promise<void> {
  const [any] = await tx.select({ id: cannedResponses.id }).from(cannedResponses).limit(1);
  if (any) return;
  await tx.insert(cannedResponses).values(DEMO_CANNED_RESPONSES.map((r) => ({ ...r, bidang: null })));
}

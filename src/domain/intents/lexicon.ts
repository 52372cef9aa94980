// What residents write for each thing Pintu does, as data: words with a weight (strong words decide alone,
// weak ones only with a partner) and phrases of several words, in Bahasa Indonesia and English together (a
// resident may mix them). Matched after spelling.ts has read the SMS forms ("gmn" → "bagaimana").
// Every phrase in the table of test/domain/intent-phrases.ts must land where it says
// (test/domain/intent-phrases.test.ts); tune with words, synonyms and short phrases that generalise, never with
// the table's sentences.

export const INTENTS = [
  // Services: a flow of their own.
  'aid', 'invitations', 'complaint', 'misuse', 'status', 'faq', 'officer', 'language', 'myData', 'deleteHistory', 'urgentNeed',
  // Answers: said, and the resident goes on where they were.
  'greeting', 'thanks', 'faqDocuments', 'faqDtsen', 'faqProposal', 'faqOffice', 'faqLostDocument', 'faqAmount', 'faqRequirements',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface IntentWords {
  /**
   * Single words and their weight: 2 or more decides alone when nothing outweighs it, 1 only adds. Ties go to the
   * intent listed first in INTENTS. The rules in intents.ts read 2 (status) and 3 (misuse, urgent need) as strong.
   */
  words: [string, number][];
  /** Several words in a row (after spelling), each worth its weight. */
  phrases?: [string, number][];
}

export const LEXICON: Record<Exclude<Intent, 'greeting' | 'thanks'>, IntentWords> = {
  // The aid check. Programme names and "bansos" say what a message is about, not what is asked: they weigh 2,
  // enough alone ("PKH" at the menu is the check) but below any question word, so that a question about the aid
  // ("syarat PKH", "berapa bansos", "kapan bansos cair") goes to the question. "dapat"/"terima" are no longer
  // words here, only in phrases: they sit in every kind of question ("syarat dapat bansos", "dapat berapa").
  // "penerima" is 1: "kriteria penerima" asks the criteria, "sy penerima blt kah" still reads as the check.
  // "dtks" is the register itself ("nama saya ada di dtks"): the check, unless "cara masuk" asks how to get in.
  aid: {
    words: [
      ['bansos', 2], ['bantuan', 2], ['penerima', 1], ['terdaftar', 2], ['pkh', 2], ['bpnt', 2], ['sembako', 2], ['blt', 2],
      ['dtks', 2], ['aid', 2], ['assistance', 2], ['benefit', 2], ['benefits', 2], ['receive', 1], ['receiving', 1], ['eligible', 2], ['registered', 1], ['cek', 1], ['check', 1], ['status', 1],
    ],
    phrases: [['cek bansos', 3], ['check my aid', 3], ['apakah saya dapat', 3], ['saya dapat bansos', 2], ['am i registered', 3], ['do i get', 3], ['masih dapat', 2], ['masih terima', 2]],
  },
  // "ambil", "wakil", "instead": someone collects for the resident (a kuasa), which is the invitation's business.
  invitations: {
    words: [
      ['undangan', 3], ['jadwal', 2], ['pembagian', 3], ['pencairan', 3], ['penyaluran', 3], ['kapan', 2], ['cair', 3], ['ambil', 2], ['pengambilan', 3],
      ['invitation', 3], ['invitations', 3], ['schedule', 2], ['distribution', 3], ['collect', 2], ['kuasa', 2], ['proxy', 2], ['hadir', 2], ['attend', 2], ['attendance', 2], ['konfirmasi', 2], ['confirm', 2],
      ['wakil', 3], ['instead', 2], ['represent', 3], ['pickup', 3], ['disbursed', 3], ['disbursement', 3], ['payment', 2], ['when', 1],
    ],
    phrases: [['kapan cair', 3], ['dapat undangan', 3], ['when is the distribution', 3], ['when can i collect', 3], ['pick up', 3], ['next payment', 3], ['on behalf', 3]],
  },
  // The resident's own aid went wrong. The words of reporting weigh 4: "complain about the distribution" is a
  // complaint, not the schedule. "belum/tidak" + receiving is a complaint (aid not received), while "kapan cair"
  // (when) stays the schedule; not received weighs 5, above a programme and "bantuan" together ("bantuan PKH
  // saya belum masuk"). "petugas tidak …" (ramah, datang, menjelaskan) is about the service, not a wish for one.
  // "salah" alone is 1: "salah ketik", "salah sasaran" (misuse) are not complaints. No "kasar" (rude): it is one
  // slip from "kabar" ("halo apa kabar"). Not "tidak dapat": formal "cannot" ("tidak dapat hadir"); "belum dapat" is.
  // "lahir" (1): "data tanggal lahir saya salah" is a correction, not a wish to see the data.
  complaint: {
    words: [
      ['lapor', 4], ['laporan', 2], ['pengaduan', 4], ['adu', 2], ['mengadu', 4], ['keluhan', 4], ['komplain', 4], ['aduan', 4], ['complaint', 4], ['report', 2], ['complain', 4],
      ['sanggah', 3], ['sanggahan', 3], ['problem', 2], ['masalah', 2], ['salah', 1], ['dipotong', 4], ['potongan', 4], ['pungli', 4], ['kurang', 1],
      ['wrong', 3], ['incorrect', 3], ['cut', 4], ['deducted', 4], ['charged', 3], ['fee', 2], ['bribe', 4], ['kosong', 2], ['empty', 2], ['saldo', 1], ['balance', 1],
      ['rekening', 1], ['busuk', 3], ['basi', 3], ['rotten', 3], ['antrean', 1], ['queue', 1], ['rude', 3], ['lahir', 1],
    ],
    phrases: [
      ['belum terima', 5], ['tidak terima', 5], ['belum masuk', 5], ['tidak masuk', 5], ['belum cair', 5], ['tidak cair', 5], ['belum sampai', 5], ['belum dapat', 5], ['dana belum', 3],
      ['not received', 5], ['not receive', 5], ['not arrive', 5], ['not get', 5], ['not yet', 2], ['data salah', 3], ['wrong data', 3], ['tidak sesuai', 3], ['minta uang', 4], ['for money', 3],
      ['kurang dari', 3], ['less than', 3], ['petugas tidak', 3], ['tidak ramah', 3],
    ],
  },
  // Someone receives who should not: a sanggahan, the complaint flow's own category. "kaya" is rich but also
  // informal "like" ("kaya gini"): 1 alone, 3 as "orang kaya", "yang kaya". The signs of wealth
  // ("mobil", "pns", "rumah mewah") win over the aid words at 3 or more beside a word of aid or report (the rule
  // in intents.ts).
  misuse: {
    words: [
      ['padahal', 2], ['mampu', 2], ['kaya', 1], ['tetangga', 1], ['rich', 2], ['neighbour', 1], ['neighbor', 1], ['afford', 2], ['layak', 1],
      ['mobil', 2], ['car', 2], ['pns', 3], ['asn', 3], ['mewah', 2], ['sasaran', 3], ['target', 3],
    ],
    phrases: [
      ['tidak layak', 3], ['orang mampu', 3], ['padahal mampu', 4], ['should not get', 3], ['doesnt deserve', 3], ['tidak berhak', 3], ['tidak miskin', 3], ['not poor', 3],
      ['not eligible', 3], ['rumah bagus', 3], ['rumah besar', 3], ['big house', 3], ['orang kaya', 3], ['yang kaya', 2], ['rich people', 3], ['civil servant', 3], ['punya mobil', 2], ['has a car', 2],
    ],
  },
  // A report already made: the words of "what became of it".
  status: {
    words: [
      ['tiket', 3], ['lacak', 3], ['track', 3], ['tracking', 3], ['nomor', 1], ['number', 1], ['status', 2],
      ['dibalas', 2], ['ditanggapi', 2], ['tanggapan', 2], ['diproses', 2], ['kelanjutan', 2], ['perkembangan', 2], ['ditindaklanjuti', 2], ['update', 2], ['progress', 2],
    ],
    phrases: [
      ['status laporan', 4], ['status pengaduan', 4], ['laporan saya', 3], ['pengaduan saya', 3], ['aduan saya', 3], ['keluhan saya', 3], ['my report', 3], ['my complaint', 3],
      ['tindak lanjut', 2], ['follow up', 2], ['happened to', 2], ['been answered', 3],
    ],
  },
  faq: {
    words: [['faq', 3], ['pertanyaan', 3], ['tanya', 2], ['question', 3], ['questions', 3], ['ask', 2], ['info', 1], ['informasi', 1], ['information', 1]],
    phrases: [['minta info', 3], ['minta informasi', 3], ['need info', 3], ['need information', 3]],
  },
  // "pegawai" is any employee ("suaminya pegawai tetap"): a person here only as "pegawai dinsos/dinas".
  // "robot", "mesin", "bot": a resident who asks whether this is a machine wants a person.
  officer: {
    words: [
      ['petugas', 3], ['operator', 3], ['officer', 3], ['manusia', 3], ['human', 3], ['admin', 2], ['cs', 2], ['pegawai', 1], ['pendamping', 3], ['staff', 3],
      ['robot', 2], ['mesin', 2], ['bot', 2],
    ],
    phrases: [['bicara dengan', 2], ['bicara sama', 2], ['talk to', 2], ['telepon saya', 2], ['call me', 2], ['real person', 3], ['customer service', 3], ['to someone', 2], ['pegawai dinsos', 3], ['pegawai dinas', 3]],
  },
  language: { words: [['bahasa', 3], ['language', 3], ['english', 3], ['inggris', 3], ['indonesian', 3]] },
  // "data" alone decides only against nothing stronger: "cek data bansos" is the aid check.
  // "stored", not "store": "story", "stone" are one slip from "store".
  myData: {
    words: [['data', 2], ['dataku', 3], ['pribadi', 2], ['personal', 2], ['privasi', 3], ['privacy', 3], ['simpan', 2], ['disimpan', 2], ['tersimpan', 2], ['stored', 2], ['keep', 1]],
    phrases: [['lihat data', 3], ['see my data', 3], ['about me', 2], ['tentang saya', 2]],
  },
  // Two words needed: "hapus" alone is one slip from "harus" ("apa yang harus saya bawa"), and "chat",
  // "pesan", "clear" say nothing alone ("sy mau chat sama admin" is the officer).
  deleteHistory: {
    words: [
      ['hapus', 1], ['riwayat', 1], ['percakapan', 1], ['delete', 1], ['history', 1], ['erase', 1], ['chat', 1], ['pesan', 1], ['bersihkan', 1],
      ['remove', 1], ['clear', 1], ['message', 1], ['messages', 1], ['conversation', 1],
    ],
    // "hapus data saya": what Pintu keeps of the chat is deleted here; the data register is not the resident's to delete.
    phrases: [['hapus data', 2], ['delete my', 2]],
  },
  // Someone in danger or without food now: not a menu entry, a person (the officer desk) at once. "beras"/"rice"
  // weigh 1: "pembagian beras" is the schedule, "beras habis" is hunger.
  urgentNeed: {
    words: [
      ['lapar', 3], ['darurat', 3], ['hungry', 3], ['starving', 3], ['emergency', 3], ['terlantar', 3], ['tolong', 1], ['sekarat', 3], ['diusir', 3], ['gelandangan', 3],
      ['evicted', 3], ['homeless', 3], ['kebakaran', 3], ['kebanjiran', 3], ['burned', 3], ['fire', 3], ['flood', 3], ['beras', 1], ['rice', 1],
    ],
    phrases: [
      ['belum makan', 4], ['tidak makan', 4], ['tidak ada makanan', 4], ['no food', 4], ['nothing to eat', 4], ['tidak punya rumah', 4], ['butuh makan', 4],
      ['untuk makan', 4], ['beras habis', 4], ['tidak ada beras', 4], ['tidur di jalan', 4], ['for food', 4], ['not eaten', 4], ['on the street', 4], ['no rice', 4],
    ],
  },
  // What to bring: "dibawa" and "bring" are always this question, so they outweigh the event they name.
  faqDocuments: {
    words: [['dokumen', 3], ['bawa', 2], ['dibawa', 4], ['documents', 3], ['document', 3], ['bring', 3], ['berkas', 3], ['fotokopi', 3], ['copy', 2], ['asli', 1], ['original', 1], ['papers', 3], ['paper', 2], ['surat', 1]],
    phrases: [['apa yang harus', 2], ['what to bring', 4], ['harus dibawa', 4], ['perlu bawa', 3], ['should i bring', 2], ['need to bring', 2], ['must bring', 2]],
  },
  // DTSEN is "Data Tunggal Sosial Ekonomi Nasional"; read by "sosial ekonomi", since "tunggal" is one slip from
  // "tanggal" ("data tanggal lahir").
  faqDtsen: {
    words: [['desil', 3], ['dtsen', 3], ['decile', 3], ['peringkat', 2], ['ranking', 2], ['kesejahteraan', 1], ['welfare', 1]],
    phrases: [['apa itu', 1], ['itu apa', 1], ['what is', 1], ['artinya', 1], ['sosial ekonomi', 4]],
  },
  // "daftar" is register or list ("daftar penerima" = the list of recipients). It weighs 3, above "bansos" (2):
  // "daftar bansos" is registering; "daftar penerima bansos" ties with the check ("penerima" + "bansos"), and a
  // tie goes to the aid check, earlier in INTENTS.
  faqProposal: {
    words: [
      ['daftar', 3], ['usul', 2], ['usulan', 2], ['diusulkan', 3], ['register', 3], ['mengajukan', 3], ['pengajuan', 3], ['proposed', 3], ['join', 2], ['supaya', 1],
    ],
    phrases: [
      ['cara daftar', 4], ['bagaimana cara', 1], ['how to', 1], ['how do i', 1], ['belum terdaftar', 4], ['not registered', 4], ['mau daftar', 4], ['ingin daftar', 4],
      ['bagaimana supaya', 4], ['bagaimana agar', 4], ['cara masuk', 3], ['cara dapat', 3], ['how can i get', 3], ['how to get', 3], ['sign up', 4], ['be registered', 4],
    ],
  },
  // "jam" is the hour: "jam berapa" asks when the office opens, not an amount.
  faqOffice: {
    words: [['alamat', 2], ['kantor', 2], ['office', 2], ['hours', 2], ['buka', 2], ['tutup', 2], ['address', 2], ['open', 2], ['libur', 2], ['jam', 2], ['lokasi', 2], ['location', 2], ['opening', 2], ['closing', 2], ['closed', 2], ['sabtu', 1], ['saturday', 1]],
    phrases: [['jam buka', 4], ['jam layanan', 4], ['jam kerja', 4], ['office hours', 4], ['opening hours', 4], ['alamat kantor', 4], ['dinas sosial dimana', 4], ['jam berapa', 3], ['dinas sosial', 2], ['nomor telepon', 2]],
  },
  faqLostDocument: {
    words: [
      ['hilang', 3], ['rusak', 2], ['lost', 3], ['lose', 3], ['kks', 1], ['ktp', 1], ['kk', 1], ['kartu', 1], ['card', 1], ['atm', 1],
      ['patah', 2], ['dicuri', 3], ['kecurian', 3], ['stolen', 3], ['missing', 3], ['broken', 2], ['damaged', 2],
    ],
    phrases: [['ktp hilang', 4], ['kk hilang', 4], ['kks hilang', 4], ['kartu hilang', 4], ['lost my', 3]],
  },
  // "berapa" is how much (3): "berapa bantuan BPNT" outweighs the programme named. "jam berapa" is the office
  // ("jam" + "buka"/"tutup"), "desil saya berapa" the desil (a tie goes to the desil, earlier in INTENTS).
  faqAmount: {
    words: [['besar', 1], ['besaran', 3], ['jumlah', 2], ['nominal', 3], ['amount', 3], ['rupiah', 2], ['uang', 1], ['money', 1], ['berapa', 3], ['nilai', 2], ['value', 3]],
    phrases: [['berapa besar', 4], ['berapa banyak', 3], ['berapa uang', 4], ['dapat berapa', 4], ['how much', 4], ['how many', 3], ['how big', 4], ['berapa rupiah', 4], ['berapa bantuan', 2]],
  },
  // Who can get it: the words of requirement weigh 4, above a programme and "daftar" ("persyaratan daftar PKH").
  // "bisa dapat" (can one get) leans here; "apakah saya dapat" stays the aid check.
  faqRequirements: {
    words: [
      ['syarat', 4], ['persyaratan', 4], ['syaratnya', 4], ['requirements', 4], ['requirement', 4], ['kriteria', 4], ['criteria', 4], ['ketentuan', 4],
      ['condition', 4], ['conditions', 4], ['qualify', 4], ['qualifies', 4], ['janda', 1], ['lansia', 1], ['elderly', 1],
    ],
    phrases: [['siapa yang bisa', 3], ['who can get', 4], ['who is eligible', 4], ['yang berhak', 3], ['bisa dapat', 2]],
  },
};

// Whole messages that are only a greeting or only thanks: words that may stand around them (pak, bu, ya…) do
// not change that. A greeting inside a real request is the request.
// Regional greetings too: "punten" (Sundanese), "om swastiastu" (Balinese), "horas" (Batak), "sampurasun".
export const GREETING_WORDS = new Set(['salam', 'halo', 'hallo', 'helo', 'hai', 'hi', 'hello', 'hey', 'pagi', 'siang', 'sore', 'malam', 'selamat', 'permisi', 'p', 'morning', 'afternoon', 'evening', 'good', 'alaikum', 'alaikom', 'wr', 'wb', 'warahmatullahi', 'wabarakatuh', 'waalaikumsalam', 'shalom', 'om', 'swastiastu', 'punten', 'sampurasun', 'horas', 'sejahtera', 'greetings', 'day']);
// Thanks are read by domain/acknowledgement.ts (the same words keep a thank-you from reopening a report).

// Words that tell the language of a first message ("I want to check my aid" is English) before the resident
// has chosen one.
// Besides the little words, the service's own nouns in English, which Indonesian never borrows ("status",
// "data" and "bansos" are both languages' and count for neither): "my distribution invitation" is English.
export const ENGLISH_MARKERS = new Set(['i', 'want', 'to', 'my', 'the', 'how', 'what', 'is', 'please', 'can', 'do', 'where', 'when', 'would', 'like', 'with', 'you', 'your', 'am', 'are', 'get', 'need', 'help', 'hello', 'good', 'morning', 'thanks', 'of', 'for', 'and', 'an', 'a', 'invitation', 'distribution', 'aid', 'complaint', 'report', 'office', 'hours', 'officer', 'check', 'payment', 'received']);
export const INDONESIAN_MARKERS = new Set(['saya', 'mau', 'yang', 'apa', 'bagaimana', 'tolong', 'mohon', 'ingin', 'bisa', 'tidak', 'belum', 'sudah', 'dan', 'di', 'dari', 'untuk', 'pak', 'bu', 'ada', 'kapan', 'berapa', 'dengan', 'kami', 'ini', 'itu', 'selamat', 'cek', 'bantuan', 'dong', 'kak']);

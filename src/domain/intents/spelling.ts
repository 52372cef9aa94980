// How residents write on a small keyboard, by SMS habit: each short form read as the word it stands for,
// before any matching ("sy mau cek bansos dong" → "saya mau cek bansos dong"). Data, per language; both are
// applied, since residents mix them.

export const SPELLINGS_ID: Record<string, string> = {
  sy: 'saya', sya: 'saya', saia: 'saya', aku: 'saya', aq: 'saya', gw: 'saya', gue: 'saya', ane: 'saya',
  blm: 'belum', blum: 'belum', lum: 'belum',
  gmn: 'bagaimana', gmana: 'bagaimana', gimana: 'bagaimana', bgmn: 'bagaimana', bagaimn: 'bagaimana', gmna: 'bagaimana',
  dgn: 'dengan', dg: 'dengan', dng: 'dengan',
  tdk: 'tidak', gak: 'tidak', ga: 'tidak', gk: 'tidak', nggak: 'tidak', ngga: 'tidak', enggak: 'tidak', engga: 'tidak', g: 'tidak', tak: 'tidak',
  yg: 'yang', utk: 'untuk', untk: 'untuk', buat: 'untuk',
  krn: 'karena', karna: 'karena', krna: 'karena',
  sdh: 'sudah', udh: 'sudah', udah: 'sudah', sudh: 'sudah', dah: 'sudah',
  bs: 'bisa', bsa: 'bisa', bisakah: 'bisa',
  tp: 'tapi', tpi: 'tapi', jg: 'juga', aja: 'saja', aj: 'saja', sj: 'saja',
  kpn: 'kapan', kapn: 'kapan', knp: 'kenapa', napa: 'kenapa', knapa: 'kenapa', mengapa: 'kenapa',
  brp: 'berapa', brapa: 'berapa', berapakah: 'berapa',
  dmn: 'dimana', dmana: 'dimana', mana: 'dimana',
  org: 'orang', trs: 'terus', dr: 'dari', pd: 'pada', sm: 'sama', ama: 'sama', ke: 'ke',
  mo: 'mau', mw: 'mau', mao: 'mau', pengen: 'ingin', pgn: 'ingin', pingin: 'ingin', pengin: 'ingin',
  dapet: 'dapat', dpt: 'dapat', dpat: 'dapat', nerima: 'terima', menerima: 'terima', diterima: 'terima',
  nanya: 'tanya', tny: 'tanya', tanyain: 'tanya', bertanya: 'tanya',
  makasih: 'terimakasih', makasi: 'terimakasih', mksh: 'terimakasih', mkasih: 'terimakasih', trims: 'terimakasih', trimakasih: 'terimakasih', trmksh: 'terimakasih', tks: 'terimakasih', thx: 'thanks', tq: 'thanks', ty: 'thanks', tengkyu: 'thanks',
  oke: 'ok', okay: 'ok', okey: 'ok', okee: 'ok', okk: 'ok', sip: 'siap', sipp: 'siap', siapp: 'siap',
  assalamualaikum: 'salam', assalamu: 'salam', asalamualaikum: 'salam', assalamualaikom: 'salam', aslm: 'salam', ass: 'salam', askum: 'salam', samlekom: 'salam',
  bansosnya: 'bansos', bantuannya: 'bantuan', undangannya: 'undangan', ktpnya: 'ktp', kknya: 'kk',
  daptar: 'daftar', dafar: 'daftar', mendaftar: 'daftar', didaftarkan: 'daftar', terdaftar: 'terdaftar', pendaftaran: 'daftar',
  ilang: 'hilang', hilng: 'hilang', kehilangan: 'hilang',
  lapar: 'lapar', laper: 'lapar', kelaparan: 'lapar',
  msh: 'masih', masi: 'masih', ttg: 'tentang', tntg: 'tentang', kmrn: 'kemarin', skrg: 'sekarang', skrng: 'sekarang',
  // The suffix -nya on the words the lexicon reads ("kapan cairnya", "alamatnya dmn", "statusnya").
  cairnya: 'cair', ambilnya: 'ambil', jadwalnya: 'jadwal', statusnya: 'status', kantornya: 'kantor', alamatnya: 'alamat', caranya: 'cara',
  bahasanya: 'bahasa', kelanjutannya: 'kelanjutan', laporannya: 'laporan', rumahnya: 'rumah', datanya: 'data', kartunya: 'kartu',
  // A kuasa: someone collects for the resident.
  diwakilkan: 'wakil', diwakili: 'wakil', diwakilin: 'wakil', wakilkan: 'wakil', mewakili: 'wakil', perwakilan: 'wakil', wakilnya: 'wakil',
  ngadu: 'mengadu', diadukan: 'mengadu', komplen: 'komplain', dilaporkan: 'lapor', laporin: 'lapor', ngelapor: 'lapor', melapor: 'lapor', melaporkan: 'lapor', laporkan: 'lapor',
  motong: 'dipotong', dipungut: 'pungli', pungutan: 'pungli',
  // "datang" (come) is read as attending: "sy tdk bisa datang" answers an invitation; "petugas tidak datang" is
  // still a complaint ("petugas tidak" in the lexicon).
  kehadiran: 'hadir', dateng: 'hadir', datang: 'hadir',
  dihapus: 'hapus', hapusin: 'hapus', menghapus: 'hapus', obrolan: 'percakapan', chatnya: 'chat', pesannya: 'pesan', riwayatnya: 'riwayat',
  ngomong: 'bicara', ngobrol: 'bicara', berbicara: 'bicara', telpon: 'telepon', tlp: 'telepon', telp: 'telepon', nelpon: 'telepon', menelepon: 'telepon',
  dimakan: 'makan', mkn: 'makan', maem: 'makan',
  fotocopy: 'fotokopi', fc: 'fotokopi', fotokopian: 'fotokopi',
  didapat: 'dapat', didapatkan: 'dapat', mendapat: 'dapat', mendapatkan: 'dapat',
  biar: 'supaya', spy: 'supaya',
  bnyk: 'banyak', byk: 'banyak', bnyak: 'banyak',
  antri: 'antrean', antre: 'antrean', antrian: 'antrean', ngantri: 'antrean', antreannya: 'antrean',
  mengusulkan: 'usul', diusulin: 'diusulkan', daftarin: 'daftar', didaftarin: 'daftar',
  misi: 'permisi', sugeng: 'selamat', pribadiku: 'pribadi',
};

export const SPELLINGS_EN: Record<string, string> = {
  u: 'you', ur: 'your', pls: 'please', plz: 'please', pleas: 'please', im: 'i', i: 'i', wat: 'what', wht: 'what', whats: 'what',
  hw: 'how', abt: 'about', thnx: 'thanks', thanx: 'thanks', thank: 'thanks', tnx: 'thanks', cant: 'cannot',
  hungry: 'hungry', reg: 'register', registration: 'register', signup: 'register', apply: 'register',
  // Negations kept: "dont" read as "do" once turned "i dont get aid" into "i do get aid".
  dont: 'do not', doesnt: 'does not', didnt: 'did not', havent: 'have not', hasnt: 'has not', isnt: 'is not', arent: 'are not', wont: 'will not',
  recieve: 'receive', recived: 'received', recieved: 'received', adress: 'address', adres: 'address', ofice: 'office', offce: 'office',
  chating: 'chat', msg: 'message', msgs: 'messages', delet: 'delete', deleted: 'delete', deleting: 'delete', erased: 'erase',
  plis: 'please', hii: 'hi',
  // Read away from keywords they are one slip from: "mobile" from "mobil" (a car, a sign of wealth), "changed" from
  // "charged" (a fee taken). "store" is read as "stored", the keyword, so that "story" is not.
  mobile: 'hp', handphone: 'hp', cellphone: 'hp', changed: 'change', changes: 'change', store: 'stored', keeps: 'keep', kept: 'keep',
};

const ALL: Record<string, string> = { ...SPELLINGS_EN, ...SPELLINGS_ID };

// "cair2", "tanya2", "pesan2": a word doubled the SMS way ("cair-cair", "tanya-tanya") is read as the word.
const DOUBLED = /^(\p{L}{3,})2$/u;

/** Each word read as what it stands for. */
export function canonical(words: readonly string[]): string[] {
  return words.map((w) => {
    const single = DOUBLED.exec(w)?.[1] ?? w;
    return ALL[single] ?? single;
  });
}

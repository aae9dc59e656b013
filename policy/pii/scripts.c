/*
 * PERSON in Cyrillic, Arabic, Devanagari, Greek and Hebrew text. The Latin-script rules (person.c) key on ASCII
 * capitals and an English-heavy gazetteer; these scripts get the trigger half of those rules: a
 * name is the words right after a label, an introduction, an honorific, a greeting or a sign-off
 * of the language, never a word on its own.
 *   - Russian: "Меня зовут", "Имя:", "ФИО:", "Уважаемый/ая", "господин/госпожа", "г-н/г-жа",
 *     "С уважением," ... followed by 1-3 capitalised Cyrillic words (Russian capitalises names);
 *     Ukrainian the same way ("Мене звати", "Шановний", "З повагою,");
 *     greetings ("Здравствуйте,", "Привет,") need two words (given name + surname);
 *   - Arabic: "اسمي" (my name), "الاسم" (name), "السيد/السيدة" (Mr/Mrs), "عزيزي/عزيزتي" (dear),
 *     "مع تحياتي" (regards) ... followed by 1-3 Arabic words up to a stop word ("ورقم" "and the
 *     number", prepositions) or punctuation; Arabic has no capitals, so only the trigger decides;
 *     Persian ("اسم من", "نام من", "آقای") and Urdu ("میرا نام", "جناب") in the same script,
 *     up to their verbs "است", "ہے" and conjunctions;
 *   - Hindi: "मेरा नाम" (my name), "नाम" (name), "श्री/श्रीमती/सुश्री" (Mr/Mrs/Ms), "प्रिय"
 *     (dear) ... followed by 1-3 Devanagari words up to a postposition or "है";
 *   - Greek: "Με λένε", "Ονομάζομαι", "Το όνομά μου είναι" (my name is), "Όνομα:", "Αγαπητέ/ή"
 *     (dear), "Κύριε/Κυρία" (Mr/Mrs), "Με εκτίμηση," ... followed by capitalised Greek words;
 *   - Hebrew: "שמי" (my name), "קוראים לי" (I am called), "שם:" (name), "מר/גברת" (Mr/Mrs),
 *     "לכבוד" (to), "בברכה," (regards) ... followed by 1-3 Hebrew words up to a stop word
 *     ("ואני", "מספר", "של"); Hebrew has no capitals either.
 * The trigger words are the ones a form, a letter or a chat message in that language uses; they
 * are listed here in both cases where the script has case.
 */
#include "policy/pii/pii_internal.h"

#include <string.h>

#define U(p) ((unsigned char)(p))

typedef struct st_trigger_t {
    const char *w;
    int min_words; /* words the name needs after this trigger; INTRO: an introduction ("I am"), see intro_ok */
} trigger_t;
#define INTRO (-2)
/* session 11: NOART, one word or more, NOART2 two or more, the first without the definite article of the script (Arabic
 * "ال", Hebrew "ה"): "باسم الشركة", "על שם החברה" (in the company's name) name no person */
#define NOART (-3)
#define NOART2 (-4)
#define WINTRO (-5)

static const trigger_t ru_triggers[] = {
    {"Меня зовут", 1},
    {"меня зовут", 1},
    {"Моё имя", 1},
    {"моё имя", 1},
    {"Мое имя", 1},
    {"Имя:", 1},
    {"имя:", 1},
    {"ФИО:", 1},
    {"ФИО", 1},
    {"Уважаемый", 1},
    {"уважаемый", 1},
    {"Уважаемая", 1},
    {"уважаемая", 1},
    {"Господин", 1},
    {"господин", 1},
    {"Госпожа", 1},
    {"госпожа", 1},
    {"г-н", 1},
    {"г-жа", 1},
    {"С уважением,", 1},
    {"с уважением,", 1},
    {"Контактное лицо:", 1},
    /* contact, contact person (ru, uk; session 10) */
    {"Контакт:", 2},
    {"контакт:", 2},
    {"Контактна особа:", 1},
    {"Отримувач:", 1},
    {"Получатель:", 1},
    {"Отправитель:", 1},
    {"Здравствуйте,", 2},
    {"Привет,", 2},
    {"Дорогой", 1},
    {"Дорогая", 1},
    {"Я —", 2},
    /* "it is" / "this is", the telephone and voice-message opening ("Алло, это Елена Попова"): 2-3 capitalised words
     * that start and end a clause and are no adjective of a place name (cased_intro_ok) */
    {"Это", INTRO},
    {"это", INTRO},
    {"Це", INTRO},
    {"це", INTRO},
    /* Ukrainian: my name is, my name, dear, with respect */
    {"Мене звати", 1},
    {"мене звати", 1},
    {"Моє ім'я", 1},
    {"моє ім'я", 1},
    {"Моє ім’я", 1},
    {"Шановний", 1},
    {"шановний", 1},
    {"Шановна", 1},
    {"шановна", 1},
    {"З повагою,", 1},
    /* session 11: the payee of a transfer (ru, uk), and the person to call or ask for ("Перезвоните Анне Кузнецовой",
     * "питайте Наталію": a contact verb followed by capitalised words) */
    {"Получатель", 1},
    {"получатель", 1},
    {"Отримувач", 1},
    {"отримувач", 1},
    {"Перезвоните", 1},
    {"перезвоните", 1},
    {"Позвоните", 1},
    {"позвоните", 1},
    {"Спросите", 1},
    {"спросите", 1},
    {"Свяжитесь с", 1},
    {"свяжитесь с", 1},
    {"Обратитесь к", 1},
    {"обратитесь к", 1},
    {"Питайте", 1},
    {"питайте", 1},
    {"Зателефонуйте", 1},
    {"зателефонуйте", 1},
    {"Зверніться до", 1},
    {"зверніться до", 1},
    /* session 12: Kazakh (my name is, dear, full name) and Mongolian (I am called "Намайг X гэдэг", honourable / dear,
     * name) */
    {"Менің атым", 1},
    {"менің атым", 1},
    {"Менің есімім", 1},
    {"менің есімім", 1},
    {"Құрметті", 1},
    {"құрметті", 1},
    {"Аты-жөні:", 1},
    {"Намайг", 1},
    {"намайг", 1},
    {"Эрхэм", 1},
    {"Нэр:", 1},
    {"нэр:", 1},
    /* session 13: full name (uk ПІБ), patient, pupil (ru, uk), recipient (uk одержувач). Not "на ім'я" / "на имя" (in
     * the name of): "н" starts one Russian word in eight, and testing every one cost bench_pii's multi2k +3 % */
    {"ПІБ:", 1},
    {"ПІБ", 1},
    {"Пацієнт:", 1},
    {"Пацієнтка:", 1},
    {"Пациент:", 1},
    {"Пациентка:", 1},
    {"Учень:", 1},
    {"Учениця:", 1},
    {"Ученик:", 1},
    {"Ученица:", 1},
    {"Одержувач", 1},
    {"одержувач", 1},
    /* session 14: Serbian, Bulgarian and Macedonian: my name is, I am (INTRO), the first person of a petition ("аз,
     * Николай Костадинов, роден ..."), holder, owner, recipient, employee, patient, name, full name, dear */
    {"Зовем се", 1},
    {"зовем се", 1},
    {"Моје име је", 1},
    {"моје име је", 1},
    {"Казвам се", 1},
    {"казвам се", 1},
    {"Името ми е", 1},
    {"името ми е", 1},
    {"Се викам", 1},
    {"се викам", 1},
    {"Моето име е", 1},
    {"моето име е", 1},
    {"Ја сам", INTRO},
    {"ја сам", INTRO},
    {"Аз съм", INTRO},
    {"аз съм", INTRO},
    {"Јас сум", INTRO},
    {"јас сум", INTRO},
    {"Аз,", INTRO},
    {"аз,", INTRO},
    {"Ја,", INTRO},
    {"ја,", INTRO},
    {"Јас,", INTRO},
    {"јас,", INTRO},
    {"Титуляр", 1},
    {"титуляр", 1},
    {"Сопственик", 1},
    {"сопственик", 1},
    {"Получател", 1},
    {"получател", 1},
    {"Прималац", 1},
    {"прималац", 1},
    {"Примач", 1},
    {"примач", 1},
    {"Служител:", 1},
    {"Вработен:", 1},
    {"Запослени:", 1},
    {"Пацијент", 1},
    {"Име и презиме:", 1},
    {"Име и фамилия:", 1},
    {"Име:", 1},
    {"Уважаеми", 1},
    {"Уважаема", 1},
    {"Поштовани", 1},
    {"Почитуван", 1},
    {"Почитувана", 1},
    {"Сестра", 1},
    {"сестра", 1},
    {NULL, 0},
};
static const trigger_t ar_triggers[] = {
    {"اسمي", 1},
    {"الاسم:", 1},
    {"السيد", 1},
    {"السيدة", 1},
    {"عزيزي", 1},
    {"عزيزتي", 1},
    {"مع تحياتي،", 1},
    {"مع تحياتي", 1},
    {"المرسل:", 1},
    {"المستلم:", 1},
    /* Persian (my name, Mr; not خانم, also "ma'am" and "lady") and Urdu (my name, an honorific of both) in the same script */
    {"اسم من", 1},
    {"نام من", 1},
    {"آقای", 1},
    {"میرا نام", 1},
    {"جناب", 1},
    /* "I am" + a common given name ("أنا فاطمة الزهراء"; not "أنا سعيد جدا", I am very happy) */
    {"أنا", INTRO},
    /* session 11: in the name of (the payee of a transfer), beneficiary, the patient's / customer's name; Persian "من"
     * (I: "من علی رضایی هستم"), as "أنا" */
    {"باسم", NOART},
    {"المستفيد:", 1},
    {"اسم المريض", 1},
    {"اسم العميل", 1},
    {"اسم المستفيد", 1},
    {"من", INTRO},
    /* session 13: patient (fa, ur, ar), pupil (fa with its zero-width non-joiner, ur) */
    {"بیمار:", 1},
    {"مریض:", 1},
    {"المريض:", 1},
    {"دانش‌آموز:", 1},
    {"طالب علم:", 1},
    /* session 14: Darija "my name (is)" (سميتي), the Gulf telephone opening "with you (is) X" (معك, as أنا), beneficiary
     * without its colon */
    {"سميتي", 1},
    {"معك", INTRO},
    {"المستفيد", 1},
    {NULL, 0},
};
static const trigger_t el_triggers[] = {
    {"Με λένε", 1},
    {"με λένε", 1},
    {"Ονομάζομαι", 1},
    {"ονομάζομαι", 1},
    {"Το όνομά μου είναι", 1},
    {"το όνομά μου είναι", 1},
    {"Όνομα:", 1},
    {"Ονοματεπώνυμο:", 1},
    {"Αγαπητέ", 1},
    {"Αγαπητή", 1},
    {"Κύριε", 1},
    {"Κυρία", 1},
    {"Με εκτίμηση,", 1},
    {"Φιλικά,", 1},
    /* I am, here is (telephone): as "Это"; with the article before the name ("Είμαι ο Νίκος Γεωργίου", session 10) */
    {"Είμαι ο", INTRO},
    {"Είμαι η", INTRO},
    {"είμαι ο", INTRO},
    {"είμαι η", INTRO},
    {"Εδώ ο", INTRO},
    {"Εδώ η", INTRO},
    {"Είμαι", INTRO},
    {"είμαι", INTRO},
    {"Εδώ", INTRO},
    /* session 11: Mr / Mrs abbreviated ("κ. Νικολάου"), beneficiary */
    {"κ. ", 1},
    {"Κ. ", 1},
    {"κα", 1},
    {"δικαιούχος", 1},
    {"Δικαιούχος", 1},
    /* session 13: patient, pupil, in the name of (a booking) */
    {"Ασθενής:", 1},
    {"Μαθητής:", 1},
    {"Μαθήτρια:", 1},
    {"στο όνομα", 1},
    {"Στο όνομα", 1},
    {NULL, 0},
};
static const trigger_t he_triggers[] = {
    {"שמי", 1},
    {"קוראים לי", 1},
    {"שם:", 1},
    {"שם מלא:", 1},
    {"לכבוד", 1},
    {"מר", 1},
    {"גברת", 1},
    {"בברכה,", 1},
    /* session 11: in the name of (payee), contact (with), turn to: two words (given name and surname), none a word of
     * he_stop (a department or a service: "צרו קשר עם שירות הלקוחות") */
    {"על שם", NOART},
    {"צרו קשר עם", NOART2},
    {"צור קשר עם", NOART2},
    {"לפנות אל", NOART2},
    {"פנו אל", NOART2},
    /* session 13: patient, pupil, the patient's name */
    {"מטופל:", 1},
    {"מטופלת:", 1},
    {"תלמיד:", 1},
    {"תלמידה:", 1},
    {"שם המטופל:", 1},
    {NULL, 0},
};
static const trigger_t hi_triggers[] = {
    {"मेरा नाम", 1},
    {"नाम:", 1},
    {"श्रीमती", 1},
    {"श्री", 1},
    {"सुश्री", 1},
    {"प्रिय", 1},
    {"भवदीय,", 1},
    /* "मैं प्रिया वर्मा हूँ" (I am ...): two or three words, the last a common surname */
    {"मैं", INTRO},
    /* session 11: Dr; "कृपया प्रिया सिंह को ..." (please ... to X): as "मैं", the last word a common surname */
    {"डॉ.", 1},
    {"कृपया", INTRO},
    /* session 14: Marathi and Nepali: my name (is), name, account holder */
    {"माझे नाव", 1},
    {"माझं नाव", 1},
    {"नाव:", 1},
    {"मेरो नाम", 1},
    {"खाते धारक:", 1},
    {NULL, 0},
};
/* Bengali: my name, name, Mr (Sri, Janab), Mrs, dear, yours (sign-off); session 12: recipient, "with best wishes" and
 * "thanks" as sign-offs before a line break, "I am X," (two or three words and a comma) */
static const trigger_t bn_triggers[] = {
    {"আমার নাম", 1}, {"নাম:", 1},         {"শ্রীমতী", 1},       {"শ্রী", 1},           {"জনাব", 1},     {"প্রিয়", 1},
    {"বিনীত,", 1},   {"প্রাপকের নাম:", 1}, {"শুভেচ্ছান্তে,\n", 1}, {"ধন্যবাদান্তে,\n", 1}, {"আমি", WINTRO}, {NULL, 0},
};
/* session 12: scripts without rules before (Armenian, Tamil, Telugu, Sinhala, Georgian, Ethiopic, Khmer, Myanmar): the
 * words a form, a letter or a chat message of the language puts before a name ("my name is", "name:", "dear", "Mr",
 * "Mrs", the sign-off "thanks," before a line break); the name is 1-3 words of the script up to a stop word of the
 * language or punctuation (Armenian: capitalised words). WINTRO: an introduction ("I am") followed by two or three words
 * that end the clause (world_intro_ok). */
static const trigger_t hy_triggers[] = {
    {"Իմ անունը", 1}, {"իմ անունը", 1}, {"Անուն՝", 1}, {"Անուն:", 1}, {"Անուն, ազգանուն՝", 1},
    {"Հարգելի", 1},   {"հարգելի", 1},   {"Պարոն", 1},  {"պարոն", 1},  {"Տիկին", 1},
    {"տիկին", 1},     {NULL, 0},
};
static const trigger_t ta_triggers[] = {
    {"என் பெயர்", 1}, {"எனது பெயர்", 1}, {"பெயர்:", 1}, {"அன்புள்ள", 1}, {"திருமதி", 1}, {"திரு.", 1}, {"நன்றி,\n", 1}, {NULL, 0},
};
static const trigger_t te_triggers[] = {
    {"నా పేరు", 1}, {"పేరు:", 1}, {"ప్రియమైన", 1}, {"ధన్యవాదాలు,\n", 1}, {NULL, 0},
};
static const trigger_t si_triggers[] = {
    {"මගේ නම", 1}, {"නම:", 1}, {"ආදරණීය", 1}, {"ස්තූතියි,\n", 1}, {NULL, 0},
};
static const trigger_t ka_triggers[] = {
    {"ჩემი სახელია", 1},     {"ჩემი სახელი და გვარია", 1},
    {"სახელი და გვარი:", 1}, {"სახელი:", 1},
    {"გვარი, სახელი:", 1},   {"პატივცემულო", 1},
    {"ბატონო", 1},           {"ქალბატონო", 1},
    {"ბატონი", 1},           {"ქალბატონი", 1},
    {"მე ვარ", WINTRO},      {NULL, 0},
};
static const trigger_t am_triggers[] = {
    {"ስሜ", 1}, {"ሙሉ ስም፦", 1}, {"ሙሉ ስም:", 1}, {"ስም፦", 1}, {"ስም:", 1}, {"አቶ", 1}, {"ወይዘሮ", 1}, {"ወ/ሮ", 1}, {"ውድ", 2}, {NULL, 0},
};
static const trigger_t km_triggers[] = {
    {"ខ្ញុំឈ្មោះ", 1}, {"នាងខ្ញុំឈ្មោះ", 1}, {"ឈ្មោះ៖", 1}, {"ឈ្មោះ:", 1}, {"លោកស្រី", 1}, {"កញ្ញា", 1}, {NULL, 0},
};
static const trigger_t my_triggers[] = {
    {"ကျွန်တော့်နာမည်", 1}, {"ကျွန်မနာမည်", 1}, {"ကျွန်တော့်နာမည်က", 1}, {"ကျွန်မနာမည်က", 1}, {"နာမည်:", 1}, {"အမည်:", 1}, {NULL, 0},
};
/* words that end an Arabic / Hindi name: conjunction-prefixed nouns, prepositions, verbs of the templates */
static const char *const ar_stop[] = {"ورقم", "وهاتفي", "وبريدي", "وعنواني", "و", "رقم", "هاتفي", "من", "في", "على", "عبر", "إلى",
                                      "نرجو", "هو", "هي", "أنا", "يرجى", "شكرا", "بريدي", "عنواني",
                                      /* fa: is, am, and my; ur: is, am, and, in */
                                      "است", "هستم", "هست", "ہے", "ہوں", "اور", "میں", "ہیں",
                                      /* fa: please, that, object marker, with, to, from, in, said */
                                      "لطفا", "لطفاً", "که", "را", "با", "به", "از", "در", "گفت",
                                      /* ar: (and) I want, I work, I live, I need, I look for, my age, I am */
                                      "أريد", "وأريد", "أعمل", "وأعمل", "أسكن", "وأسكن", "أعيش", "وأعيش", "أحتاج", "وأحتاج", "أبحث",
                                      "وأبحث", "عمري", "وعمري", "وأنا", "أود", "وأود", "أرغب", "وأرغب", NULL};
/* words that end a Hebrew name: I, and I, my, number, phone, mail, address, of, with, lives, is, wants, not, this,
 * also, already */
static const char *const he_stop[] = {"אני", "ואני", "שלי", "מספר", "ומספר", "טלפון", "והטלפון", "מייל", "והמייל", "כתובת", "של",
                                      "עם", "גר", "גרה", "הוא", "היא", "רוצה", "תעודת", "ת.ז", "מה", "ו", "ב", "ל", "מ", "לא", "זה",
                                      "גם", "כבר",
                                      /* at, in the number (session 11), and the services one contacts instead of a person */
                                      "במספר", "בטלפון", "בכתובת", "שירות", "מחלקת", "צוות", "נציג", "מוקד", "התמיכה", "השירות",
                                      "הצוות", "המוקד", "החברה", "המשרד", "מנהל", "מנהלת", "תמיכה", "משרד", "חברת",
                                      /* tomorrow, today, yesterday, now, please, urgently */
                                      "מחר", "היום", "אתמול", "עכשיו", "בבקשה", "דחוף", NULL};
/* words that end a Bengali name: and, my, I, from, of, to, is, speaking, not, this, phone, number, address, email */
static const char *const bn_stop[] = {"এবং", "আর", "আমার", "আমি", "থেকে", "এর", "কে", "হয়", "হলো", "বলছি", "ও", "আছে", "না", "নয়",
                                      "যে", "এই", "তার", "ফোন", "নম্বর", "ঠিকানা", "ইমেইল", "আমাদের", "হচ্ছে",
                                      /* what, that, remember, know, is not, why */
                                      "কী", "কি", "তা", "মনে", "জানি", "নেই", "কেন", NULL};
/* the most frequent Indian surnames in Devanagari (the intro "मैं X Y हूँ" needs one last) */
static const char *const hi_surnames[] = {
    "शर्मा", "वर्मा",   "सिंह",   "कुमार",   "कुमारी",   "गुप्ता",     "पटेल",     "यादव",  "जैन",    "अग्रवाल", "मिश्रा",
    "मिश्र", "तिवारी", "पांडे",   "पाण्डेय",  "पांडेय",    "श्रीवास्तव", "चौधरी",   "खान",   "रेड्डी",  "राव",    "नायर",
    "दास",  "बनर्जी",  "मुखर्जी", "चटर्जी",  "घोष",     "शाह",      "मेहता",    "जोशी",  "देसाई",  "कपूर",    "मल्होत्रा",
    "खन्ना", "ठाकुर",   "चौहान", "राठौर",  "सक्सेना",   "भट्ट",      "त्रिपाठी", "दुबे",    "शुक्ला",  "पाठक",   "सेन",
    "बोस",  "अली",    "अहमद",  "प्रसाद",  "नाथ",     "रॉय",      "राय",     "अरोड़ा", "सिन्हा", "चतुर्वेदी", "द्विवेदी",
    "बंसल",  "गोयल",   "मित्तल", "रस्तोगी", "भारद्वाज", "नेगी",      "रावत",    "बिष्ट",  "कौर",   NULL};
/* the most frequent Arabic given names that are no common words (not سعيد happy, أمل hope, نور light, كريم generous) */
static const char *const ar_given[] = {
    "محمد", "أحمد", "احمد", "علي", "حسن", "حسين", "محمود", "مصطفى", "خالد", "عمر", "يوسف", "إبراهيم", "ابراهيم", "عبدالله", "عبد",
    "فهد", "سلطان", "طارق", "ياسر", "وليد", "هشام", "سامي", "فيصل", "حمد", "زياد", "رامي", "عثمان", "بلال", "حمزة", "أنس", "فاطمة",
    "عائشة", "مريم", "خديجة", "زينب", "سارة", "ليلى", "سلمى", "رنا", "دينا", "ريم", "لينا", "نادية", "هند", "رقية", "آمنة",
    "ياسمين", "لمى", "شيماء", "أسماء", "هبة", "منال", "نورة", "مها", "عبير",
    /* Persian spellings (ی, ک, final ه; session 11) */
    "علی", "رضا", "حسین", "مهدی", "امیر", "مریم", "زهرا", "فاطمه", "سارا", "نرگس", "مینا", "عباس", "حمید", "مجید", NULL};
/* session 12: words that end a name of the scripts above: I, my, and, is, am, (honorific) to, phone, number, from */
static const char *const world_stop[] = {
    /* ta */ "நான்",
    "என்",
    "எனது",
    "மற்றும்",
    "அவர்கள்",
    "அவர்களுக்கு",
    "அவர்களின்",
    /* te */ "నేను",
    "నా",
    "మరియు",
    "గారు",
    "గారికి",
    /* si */ "මම",
    "මගේ",
    "සහ",
    "මහතා",
    "මහත්මිය",
    /* ka */ "და",
    "ვარ",
    "ჩემი",
    "მე",
    /* am */ "ነው",
    "ነኝ",
    "እና",
    "ናት",
    "ነች",
    /* km: phone number, and, is, at */ "លេខទូរស័ព្ទ",
    "និង",
    "ជា",
    "នៅ",
    "ទូរស័ព្ទ",
    /* my: (polite particle), is */ "ပါ",
    "ဖြစ်ပါတယ်",
    "ပါတယ်",
    "ဖုန်း",
    NULL};
static const char *const hi_stop[] = {"है", "हैं", "और", "को", "का", "की", "के", "से", "में", "पर", "था", "थी", "ने", "जी", "हूँ", "हूं",
                                      /* session 14: Marathi "is", "and", Nepali "is", "and" */
                                      "आहे", "आणि", "हो", "हुन्", "र", NULL};

/* Cyrillic capitals and small letters of Russian, Ukrainian, Belarusian, Serbian, Macedonian and
 * Bulgarian (U+0400-045F, Ґ ґ U+0490-0491), and (session 12) of Kazakh, Mongolian, Kyrgyz, Tatar, Bashkir, Uzbek and
 * the other languages of the Cyrillic Supplement pairs (U+048A-04BF and U+04D0-04FF: capital even, small odd; U+04C1-04CE:
 * capital odd): Ә ә, Ғ ғ, Қ қ, Ң ң, Ө ө, Ұ ұ, Ү ү, Һ һ */
static int is_cyr_upper(uint32_t cp)
{
    return (cp >= 0x0400 && cp <= 0x042F) || (cp >= 0x048A && cp <= 0x04BF && !(cp & 1)) ||
           (cp >= 0x04C1 && cp <= 0x04CE && (cp & 1)) || (cp >= 0x04D0 && cp <= 0x04FF && !(cp & 1));
}

static int is_cyr_lower(uint32_t cp)
{
    return (cp >= 0x0430 && cp <= 0x045F) || (cp >= 0x048A && cp <= 0x04BF && (cp & 1)) ||
           (cp >= 0x04C1 && cp <= 0x04CE && !(cp & 1)) || (cp >= 0x04D0 && cp <= 0x04FF && (cp & 1));
}

/* Greek capitals (with tonos) and small letters (U+0370-03FF) */
static int is_greek_upper(uint32_t cp)
{
    return cp == 0x0386 || (cp >= 0x0388 && cp <= 0x038F && cp != 0x038B && cp != 0x038D) ||
           (cp >= 0x0391 && cp <= 0x03AB && cp != 0x03A2);
}

static int is_greek_lower(uint32_t cp)
{
    return cp == 0x0390 || (cp >= 0x03AC && cp <= 0x03CE);
}

static int is_hebrew_letter(uint32_t cp)
{
    return cp >= 0x05D0 && cp <= 0x05EA;
}

static int is_arabic_letter(uint32_t cp)
{
    return (cp >= 0x0621 && cp <= 0x065F) || (cp >= 0x0671 && cp <= 0x06D3) || cp == 0x0670;
}

static int is_deva_letter(uint32_t cp)
{
    return cp >= 0x0900 && cp <= 0x097F && cp != 0x0964 && cp != 0x0965 && !(cp >= 0x0966 && cp <= 0x096F);
}

static int is_beng_letter(uint32_t cp)
{
    return cp >= 0x0981 && cp <= 0x09FE && !(cp >= 0x09E6 && cp <= 0x09EF);
}

/* session 12: the letters, vowel signs and viramas of the blocks (UnicodeData.txt), without their digits and
 * punctuation (Ethiopic ። ፣ ፦ U+1361-1368, Khmer ។ ៖ U+17D4-17DA, Myanmar ။ ၊ U+104A-104B) */
static int is_armn_upper(uint32_t cp)
{
    return cp >= 0x0531 && cp <= 0x0556;
}

static int is_armn_lower(uint32_t cp)
{
    return cp >= 0x0561 && cp <= 0x0587;
}

static int is_taml_letter(uint32_t cp)
{
    return cp >= 0x0B82 && cp <= 0x0BD7;
}

static int is_telu_letter(uint32_t cp)
{
    return cp >= 0x0C00 && cp <= 0x0C63;
}

static int is_sinh_letter(uint32_t cp)
{
    return (cp >= 0x0D81 && cp <= 0x0DDF) || cp == 0x0DF2 || cp == 0x0DF3;
}

static int is_geor_letter(uint32_t cp)
{
    return (cp >= 0x10A0 && cp <= 0x10FF && cp != 0x10FB) || (cp >= 0x1C90 && cp <= 0x1CBF);
}

static int is_ethi_letter(uint32_t cp)
{
    return cp >= 0x1200 && cp <= 0x135F;
}

static int is_khmr_letter(uint32_t cp)
{
    return cp >= 0x1780 && cp <= 0x17D3;
}

static int is_mymr_letter(uint32_t cp)
{
    return (cp >= 0x1000 && cp <= 0x1049 && !(cp >= 0x1040 && cp <= 0x1049)) ||
           (cp >= 0x104C && cp <= 0x109F && !(cp >= 0x1090 && cp <= 0x1099));
}

/* word ids of the scripts above for name_after (beyond the POL__SCRIPT_* bits) */
#define W_ARMN (1u << 16)
#define W_TAML (1u << 17)
#define W_TELU (1u << 18)
#define W_SINH (1u << 19)
#define W_GEOR (1u << 20)
#define W_ETHI (1u << 21)
#define W_KHMR (1u << 22)
#define W_MYMR (1u << 23)

/* A capitalised word of a cased two-byte script (Cyrillic, Greek) at p (hyphen inside allowed:
 * "Петров-Водкин"); @return its end or p */
static size_t cased_word(const char *t, size_t len, size_t p, int (*is_upper)(uint32_t), int (*is_lower)(uint32_t))
{
    uint32_t cp;
    size_t n;
    if (p >= len || (n = pol__cp_at(t, len, p, &cp)) != 2 || !is_upper(cp))
        return p;
    size_t e = p + n, k = 0;
    while (e < len) {
        if ((n = pol__cp_at(t, len, e, &cp)) == 2 && is_lower(cp))
            e += n, k++;
        else if (t[e] == '-' && e + 1 < len && pol__cp_at(t, len, e + 1, &cp) == 2 && is_upper(cp))
            e += 3;
        else
            break;
    }
    return k >= 1 && !pol__glue_after(t, len, e) ? e : p;
}

/* the name after a trigger ending at p: up to 3 words of the script; @return its end or the start */
static size_t name_after(const char *t, size_t len, size_t *pstart, unsigned script)
{
    size_t p = *pstart;
    /* a name is on the trigger's line, except after a sign-off ("С уважением,\n") */
    int nl = p > 0 && (t[p - 1] == ',' || (p >= 2 && memcmp(t + p - 2, "\xd8\x8c", 2) == 0)); /* ',' or Arabic '،' */
    while (p < len && (t[p] == ' ' || t[p] == ':' || t[p] == '\t' || (nl && (t[p] == '\n' || t[p] == '\r'))) && p - *pstart < 4)
        p++;
    *pstart = p;
    size_t e = p;
    int words = 0;
    for (int k = 0; k < 3; k++) {
        size_t q = e + (k > 0), w;
        if (k > 0 && (e >= len || t[e] != ' '))
            break;
        if (script == POL__SCRIPT_CYRILLIC)
            w = cased_word(t, len, q, is_cyr_upper, is_cyr_lower);
        else if (script == POL__SCRIPT_GREEK)
            w = cased_word(t, len, q, is_greek_upper, is_greek_lower);
        else if (script == POL__SCRIPT_ARABIC)
            w = pol__script_word(t, len, q, is_arabic_letter);
        else if (script == POL__SCRIPT_HEBREW)
            w = pol__script_word(t, len, q, is_hebrew_letter);
        else if (script == POL__SCRIPT_BENGALI)
            w = pol__script_word(t, len, q, is_beng_letter);
        else if (script == W_ARMN)
            w = cased_word(t, len, q, is_armn_upper, is_armn_lower);
        else if (script >= W_TAML)
            w = pol__script_word(t, len, q,
                                 script == W_TAML   ? is_taml_letter
                                 : script == W_TELU ? is_telu_letter
                                 : script == W_SINH ? is_sinh_letter
                                 : script == W_GEOR ? is_geor_letter
                                 : script == W_ETHI ? is_ethi_letter
                                 : script == W_KHMR ? is_khmr_letter
                                                    : is_mymr_letter);
        else
            w = pol__script_word(t, len, q, is_deva_letter);
        if (w == q)
            break;
        if (script == POL__SCRIPT_ARABIC && pol__word_is(t, q, w, ar_stop))
            break;
        if (script == POL__SCRIPT_HEBREW && pol__word_is(t, q, w, he_stop))
            break;
        if (script == POL__SCRIPT_DEVANAGARI && pol__word_is(t, q, w, hi_stop))
            break;
        if (script == POL__SCRIPT_BENGALI && pol__word_is(t, q, w, bn_stop))
            break;
        if (script >= W_TAML && pol__word_is(t, q, w, world_stop))
            break;
        /* Khmer and Myanmar write no spaces between words, only between phrases: a name is one or two of them */
        if ((script == W_KHMR || script == W_MYMR) && k == 2)
            break;
        e = w, words++;
    }
    return words == 0 ? p : e;
}

static int is_letter_of_a_script(uint32_t cp)
{
    return is_cyr_lower(cp) || is_cyr_upper(cp) || is_greek_lower(cp) || is_greek_upper(cp) || is_hebrew_letter(cp) ||
           is_arabic_letter(cp) || is_deva_letter(cp) || is_beng_letter(cp) || is_armn_upper(cp) || is_armn_lower(cp) ||
           is_taml_letter(cp) || is_telu_letter(cp) || is_sinh_letter(cp) || is_geor_letter(cp) || is_ethi_letter(cp) ||
           is_khmr_letter(cp) || is_mymr_letter(cp);
}

static int count_words(const char *t, size_t s, size_t e)
{
    int n = s < e;
    for (size_t i = s; i < e; i++)
        n += t[i] == ' ';
    return n;
}

/* Cyrillic and Greek words that stand capitalised in place and country names ("Нижний Новгород", "Российская
 * Федерация", "Νέα Υόρκη", "Ηνωμένες Πολιτείες") */
static const char *const cased_intro_stop[] = {
    "Нижний",      "Верхний",     "Великий",    "Старый",   "Новый",     "Новая",   "Новое",  "Южная",        "Северная",
    "Соединённые", "Соединенные", "Российская", "Русская",  "Красная",   "Санкт",   "Ростов", "Объединённые", "Объединенные",
    "Саудовская",  "Центральная", "Латинская",  "Западная", "Восточная", "Нова",    "Нью",    "Сан",          "Νέα",
    "Νέος",        "Νότια",       "Βόρεια",     "Ηνωμένες", "Ηνωμένο",   "Ηνωμένα", "Άγιος",  "Αγία",         "Άγιο",
    "Κεντρική",    "Δυτική",      "Ανατολική",  "Σαουδική", NULL};

/* The check cased_intro_ok and world_intro_ok share: two or three words in [s, e), and the introduction at ts starts a
 * clause (the text's start, punctuation, a line break or an opening parenthesis before it, spaces skipped, or the 3-byte
 * mark `mark3`: an em dash in the cased scripts, the Devanagari danda in the others) */
static int intro_clause_start(const char *t, size_t ts, size_t s, size_t e, const char *mark3)
{
    int nw = count_words(t, s, e);
    if (nw < 2 || nw > 3)
        return 0;
    size_t b = ts;
    while (b > 0 && t[b - 1] == ' ')
        b--;
    return b == 0 || strchr(",.!?;:\n\r(", t[b - 1]) != NULL || (b >= 3 && memcmp(t + b - 3, mark3, 3) == 0);
}

/* "Это", "Είμαι" (cased scripts): the trigger starts a clause (text start, punctuation or a line break before it), 2-3
 * capitalised words follow, the first no adjective (Russian adjective endings -ая -яя -ое -ее -ые -ие -ый -ой) or
 * place word of cased_intro_stop, and the clause ends after them (end, punctuation, a line break, a dash) */
static int cased_intro_ok(const char *t, size_t len, size_t ts, size_t s, size_t e)
{
    static const char *const adj[] = {"ая", "яя", "ое", "ее", "ые", "ие", "ый", "ой", NULL};
    if (!intro_clause_start(t, ts, s, e, "\xe2\x80\x94"))
        return 0;
    const char *sp = memchr(t + s, ' ', e - s);
    size_t w1 = (size_t)(sp - t);
    if (pol__word_is(t, s, w1, cased_intro_stop))
        return 0;
    for (const char *const *a = adj; *a != NULL; a++)
        if (w1 - s > 4 && memcmp(t + w1 - 4, *a, 4) == 0)
            return 0;
    if (e >= len || strchr(",.!?;:)\n\r", t[e]))
        return 1;
    return t[e] == ' ' && e + 1 < len && (t[e + 1] == '-' || (e + 3 < len && memcmp(t + e + 1, "\xe2\x80\x94", 3) == 0));
}

/* WINTRO ("მე ვარ", Bengali "আমি": I am): the phrase starts a clause (text start, punctuation, a line break), two or
 * three words follow, and a comma, a full stop or the text's end ends them ("გამარჯობა, მე ვარ გიორგი ბერიძე,"; not
 * "მე ვარ სტუდენტი" or "আমি ভাত খাই এবং"). Caseless scripts: a sentence "I am very happy." passes; the trigger is kept
 * to the languages whose introduction is this phrase. */
static int world_intro_ok(const char *t, size_t len, size_t ts, size_t s, size_t e)
{
    if (!intro_clause_start(t, ts, s, e, "\xe0\xa5\xa4"))
        return 0;
    return e >= len || t[e] == ',' || t[e] == '.' || t[e] == '\n' || t[e] == '!' || t[e] == ';';
}

/* An introduction ("मैं", "أنا": I am) is followed by a name only when the words after it are one: the last of two
 * or three Devanagari words a common surname, the first of one to three Arabic words a common given name; for the
 * cased scripts see cased_intro_ok */
static int intro_ok(const char *t, size_t len, size_t ts, size_t s, size_t e, unsigned script)
{
    size_t a = s, b = e;
    if (script == POL__SCRIPT_CYRILLIC || script == POL__SCRIPT_GREEK)
        return e > s && cased_intro_ok(t, len, ts, s, e);
    if (e <= s || (script != POL__SCRIPT_ARABIC && count_words(t, s, e) < 2))
        return 0;
    if (script == POL__SCRIPT_DEVANAGARI) {
        while (a < e && memchr(t + a, ' ', e - a) != NULL)
            a = (size_t)((const char *)memchr(t + a, ' ', e - a) - t) + 1;
        return pol__word_is(t, a, e, hi_surnames);
    }
    if (script == POL__SCRIPT_ARABIC) {
        const char *sp = memchr(t + s, ' ', e - s);
        b = sp != NULL ? (size_t)(sp - t) : e;
        return pol__word_is(t, s, b, ar_given);
    }
    return 0;
}

/* The trigger lists and the scripts they run for, in the order pol__script_names tries them. */
static const struct {
    unsigned script; /* POL__SCRIPT_* bit, or a W_* word id */
    unsigned need;   /* the POL__SCRIPT_* bit the text must hold */
    const trigger_t *list;
    unsigned char lead_lo, lead_hi; /* first byte range of the script's letters */
} trigger_sets[] = {
    {POL__SCRIPT_CYRILLIC, POL__SCRIPT_CYRILLIC, ru_triggers, 0xD0, 0xD3},
    {POL__SCRIPT_ARABIC, POL__SCRIPT_ARABIC, ar_triggers, 0xD8, 0xDB},
    {POL__SCRIPT_DEVANAGARI, POL__SCRIPT_DEVANAGARI, hi_triggers, 0xE0, 0xE0},
    {POL__SCRIPT_GREEK, POL__SCRIPT_GREEK, el_triggers, 0xCE, 0xCF},
    {POL__SCRIPT_HEBREW, POL__SCRIPT_HEBREW, he_triggers, 0xD7, 0xD7},
    {POL__SCRIPT_BENGALI, POL__SCRIPT_BENGALI, bn_triggers, 0xE0, 0xE0},
    {W_ARMN, POL__SCRIPT_WORLD, hy_triggers, 0xD4, 0xD5},
    {W_TAML, POL__SCRIPT_WORLD, ta_triggers, 0xE0, 0xE0},
    {W_TELU, POL__SCRIPT_WORLD, te_triggers, 0xE0, 0xE0},
    {W_SINH, POL__SCRIPT_WORLD, si_triggers, 0xE0, 0xE0},
    {W_GEOR, POL__SCRIPT_WORLD, ka_triggers, 0xE1, 0xE1},
    {W_ETHI, POL__SCRIPT_WORLD, am_triggers, 0xE1, 0xE1},
    {W_KHMR, POL__SCRIPT_WORLD, km_triggers, 0xE1, 0xE1},
    {W_MYMR, POL__SCRIPT_WORLD, my_triggers, 0xE1, 0xE1},
};
#define N_TRIGGER_SETS (sizeof(trigger_sets) / sizeof(trigger_sets[0]))

int pol__script_trigger_index(pol__script_tables_t *tb)
{
    size_t n = 0, count[POL__TRIG_BUCKETS + 1] = {0};
    memset(tb->triggers, 0, sizeof(tb->triggers));
    for (size_t k = 0; k < N_TRIGGER_SETS; k++)
        for (const trigger_t *tr = trigger_sets[k].list; tr->w != NULL; tr++) {
            uint32_t cp;
            pol__cp_at(tr->w, strlen(tr->w), 0, &cp);
            tb->triggers[(cp >> 6) & 15] |= (uint64_t)1 << (cp & 63);
            count[(cp & (POL__TRIG_BUCKETS - 1)) + 1]++;
            n++;
        }
    if (n > POL__TRIG_MAX || N_TRIGGER_SETS > 32)
        return -1;
    /* bucket b holds entries trig_first[b] .. trig_first[b + 1] - 1; filled in set order, then list order */
    for (size_t b = 0; b < POL__TRIG_BUCKETS; b++)
        count[b + 1] += count[b];
    for (size_t b = 0; b <= POL__TRIG_BUCKETS; b++)
        tb->trig_first[b] = (uint16_t)count[b];
    for (size_t k = 0; k < N_TRIGGER_SETS; k++)
        for (const trigger_t *tr = trigger_sets[k].list; tr->w != NULL; tr++) {
            uint32_t cp;
            pol__cp_at(tr->w, strlen(tr->w), 0, &cp);
            size_t j = count[cp & (POL__TRIG_BUCKETS - 1)]++;
            tb->trig_cp[j] = cp;
            tb->trig_set[j] = (unsigned char)k;
            tb->trig_idx[j] = (uint16_t)(tr - trigger_sets[k].list);
        }
    return 0;
}

int pol__script_names(pol__scanctx_t *c, unsigned scripts)
{
    const char *t = c->text;
    size_t len = c->len;
    const pol__script_tables_t *tb = c->tables;
    unsigned char hi = (scripts & POL__SCRIPT_WORLD) ? 0xE1 : 0xE0;
    for (size_t i = 0; (i = pol__next_byte_in(t, len, i, 0xCE, hi)) < len; i++) {
        unsigned char b = U(t[i]);
        uint32_t first;
        /* lead bytes of Greek (CE CF), Cyrillic (D0-D3: Қ Ә of Kazakh are D2 D3), Armenian (D4 D5), Hebrew (D7), Arabic (D8-DB),
           Devanagari, Bengali, Tamil, Telugu, Sinhala (E0), Georgian, Ethiopic, Khmer, Myanmar (E1) letters only */
        if (!((b >= 0xCE && b <= 0xD5) || b == 0xD7 || (b >= 0xD8 && b <= 0xDB) || b == 0xE0 || b == 0xE1))
            continue;
        /* most letters start no trigger: one bit test */
        pol__cp_at(t, len, i, &first);
        if (!POL__BIT_HAS(tb->triggers, first))
            continue;
        /* the triggers that start with this code point, in the order of the sets and of each list (session 14: the
           lists were walked whole at every letter that starts a trigger); a set is done at its first trigger that
           matches as bytes (it breaks) */
        uint32_t done = 0;
        size_t bucket = first & (POL__TRIG_BUCKETS - 1);
        for (size_t j = tb->trig_first[bucket]; j < tb->trig_first[bucket + 1]; j++) {
            size_t k = tb->trig_set[j];
            if (tb->trig_cp[j] != first || (done >> k & 1) || !(scripts & trigger_sets[k].need) || b < trigger_sets[k].lead_lo ||
                b > trigger_sets[k].lead_hi)
                continue;
            const trigger_t *tr = &trigger_sets[k].list[tb->trig_idx[j]];
            const char *x = tr->w;
            size_t n = strlen(x);
            uint32_t next = 0, prev = 0;
            if (i + n > len || memcmp(t + i, x, n) != 0)
                continue;
            done |= 1u << k;
            /* a trigger starts a word: not after a letter of its script */
            if (i > 0)
                pol__cp_before(t, i, &prev);
            if (is_letter_of_a_script(prev))
                continue;
            /* the trigger is a whole word ("السيد" is no trigger inside "السيدة"); one that ends in punctuation or a
               line break ("नाम:", "நன்றி,⏎") ends there whatever follows (session 12: a sign-off before a line break
               was compared as if it ended in a letter, and the name after it never matched) */
            uint32_t last = 0;
            if (i + n < len)
                pol__cp_at(t, len, i + n, &next);
            pol__cp_before(x, n, &last);
            if (is_letter_of_a_script(last) && is_letter_of_a_script(next)) {
                done &= ~(1u << k);
                continue;
            }
            size_t s = i + n, e = name_after(t, len, &s, trigger_sets[k].script);
            if (tr->min_words == INTRO && !intro_ok(t, len, i, s, e, trigger_sets[k].script))
                continue;
            if (tr->min_words == WINTRO && !world_intro_ok(t, len, i, s, e))
                continue;
            int min = tr->min_words == NOART ? 1 : tr->min_words == NOART2 ? 2 : tr->min_words;
            if ((tr->min_words == NOART || tr->min_words == NOART2) && e > s &&
                ((e - s >= 4 && memcmp(t + s, "\xd8\xa7\xd9\x84", 4) == 0) || (e - s >= 2 && memcmp(t + s, "\xd7\x94", 2) == 0)))
                continue;
            if (e > s && (tr->min_words == INTRO || tr->min_words == WINTRO || count_words(t, s, e) >= min)) {
                if (pol__cands_push(c->cands, POL_PII_PERSON, s, e, 0.85) != 0)
                    return -1;
                c->cands->v[c->cands->n - 1].ctx_done = 1;
            }
        }
    }
    return 0;
}

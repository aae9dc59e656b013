/*
 * PERSON and LOCATION in Chinese, Japanese and Korean text. These scripts need rules of their
 * own: Chinese and Japanese write no spaces between words, so a name or an address is a stretch
 * of ideographs inside a longer run, and capitalisation (what the Latin-script PERSON rule
 * relies on) does not exist. Phone numbers, e-mails and cards in these texts are found by the
 * ordinary recognizers (script-independent boundaries and full-width digits: unicode.c).
 *
 * Names need a trigger, never a surname alone (most Chinese surnames are also common words:
 * 黄 yellow, 白 white, 高 tall, 金 gold):
 *   - after a label or an introduction: 姓名 / 联系人 / 收件人 / 我叫 ... (zh), 氏名 / 名前 (ja),
 *     이름 / 성명 (ko), optionally followed by "：", "是", "は", "은" ...; the name is a surname
 *     from the table below plus one or two given-name characters (Chinese), a kanji or katakana
 *     run led by a Japanese surname (Japanese), three Hangul syllables led by a Korean surname;
 *   - before an honorific: 先生 / 女士 / 小姐 (zh, with a Chinese surname), さん / 様 / 氏 (ja,
 *     a Japanese surname or a katakana name), 씨 / 님 (ko, three syllables led by a surname);
 *   - after the weak triggers 给 / 叫 (zh: "给张伟发邮件") and the introduction 我是 ("我是吴晓东，
 *     邮箱..."): only when a delimiter or one of a few verbs follows the name (the second signal),
 *     so "给黄色的猫", "我是程序员的朋友" do not fire.
 * Surname tables: the most frequent Chinese surnames (Ministry of Public Security household
 * register statistics, 2019 ranking of the top 100, plus the traditional-script forms and the
 * common two-character surnames), the 100 most frequent Japanese surnames (Meiji Yasuda Life
 * surname survey, public ranking) and the Korean surnames held by >= 0.1 % of the population
 * (Statistics Korea census 2015). Facts, not creative works; listed here by hand.
 *
 * Addresses are runs of ideographs and digits cut by administrative suffixes (省 市 区 县 镇 村
 * 路 街 道 巷 号 栋 楼 层 室 单元, Japanese 都 道 府 県 市 区 町 村 丁目 番地 番 号, and
 * in Korean space-separated words ending in 시 도 구 군 읍 면 동 리 로 길 plus the building
 * number). A run is one LOCATION from its first to its last component when it has at least three
 * components, or two of which one is numbered ("88号", "1201室", "1-2-3") or a street. Each
 * component needs a name of its own (two ideographs for an administrative unit), which keeps
 * words such as 城市, 地区, 小区 from chaining.
 */
#include "policy/pii/pii_internal.h"

#include <string.h>

#define U(p) ((unsigned char)(p))

/* ---- tables (UTF-8; each entry one word) ---- */

/* a word of a list and its length in bytes (the lists end with {NULL, 0}): the scan compares words at every trigger
   character, and a strlen per word and call was a tenth of the pass on Chinese text */
typedef struct st_word_t {
    const char *s;
    size_t n;
} word_t;
#define W(lit)                                                                                                                     \
    {                                                                                                                              \
        lit, sizeof(lit) - 1                                                                                                       \
    }

/* Chinese surnames, one ideograph each (simplified, then traditional forms) */
static const char cn_surname1[] = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程"
                                  "魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛"
                                  "郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文施洪辛柯庄牛温鲁葛伍邢翟凌"
                                  "張劉陳楊黃趙吳孫馬鄭謝許韓鄧馮蕭葉蘇呂盧鍾譚陸範賈鄒閻龍賀顧龔錢嚴湯賴莊溫魯翁";
static const word_t cn_surname2[] = {W("欧阳"), W("司马"), W("上官"), W("诸葛"), W("东方"), W("皇甫"), W("尉迟"),
                                     W("公孙"), W("慕容"), W("令狐"), W("司徒"), W("夏侯"), W("歐陽"), W("司馬"),
                                     W("諸葛"), W("端木"), W("独孤"), W("南宫"), {NULL, 0}};
/* Japanese surnames (kanji), most frequent first */
static const word_t jp_surnames[] = {
    W("佐藤"), W("鈴木"),   W("高橋"), W("田中"), W("伊藤"), W("渡辺"), W("山本"), W("中村"), W("小林"),   W("加藤"), W("吉田"),
    W("山田"), W("佐々木"), W("山口"), W("松本"), W("井上"), W("木村"), W("斎藤"), W("清水"), W("山崎"),   W("池田"), W("橋本"),
    W("阿部"), W("石川"),   W("山下"), W("中島"), W("石井"), W("小川"), W("前田"), W("岡田"), W("長谷川"), W("藤田"), W("後藤"),
    W("近藤"), W("村上"),   W("遠藤"), W("青木"), W("坂本"), W("斉藤"), W("福田"), W("太田"), W("西村"),   W("藤井"), W("金子"),
    W("岡本"), W("藤原"),   W("中野"), W("三浦"), W("原田"), W("中川"), W("松田"), W("竹内"), W("小野"),   W("田村"), W("中山"),
    W("和田"), W("石田"),   W("森田"), W("上田"), W("内田"), W("柴田"), W("酒井"), W("宮崎"), W("横山"),   W("高木"), W("安藤"),
    W("宮本"), W("大野"),   W("小島"), W("谷口"), W("今井"), W("工藤"), W("高田"), W("増田"), W("丸山"),   W("杉山"), W("村田"),
    W("大塚"), W("新井"),   W("小山"), W("平野"), W("藤本"), W("河野"), W("上野"), W("野口"), W("武田"),   W("松井"), W("千葉"),
    W("岩崎"), W("菅原"),   W("木下"), W("久保"), W("佐野"), W("野村"), W("松尾"), W("菊地"), W("杉本"),   W("市川"), W("古川"),
    W("大西"), W("島田"),   W("水野"), W("桜井"), W("高野"), W("渡部"), W("林"),   W("森"),   W("原"),     W("関"),   {NULL, 0}};
/* Korean surnames (one Hangul syllable each) */
static const char kr_surname[] =
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공"
    "현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용";

/* characters that end a Chinese name run: particles, pronouns, verbs and the first characters
 * of the words that follow names (电话, 手机, 先生, 女士, 小姐 is handled by the honorific rule) */
static const char cn_stop[] = "的了是在和与及或说发打给住来去已将会要请您你我他她们电手先女邮地微号码联系收寄送到从向对把被也都"
                              "就还吗呢吧啊呀这那有没不很为以于上下中和等着过个位年月日时分写问看买做画讲告通知";

static const word_t cn_strong[] = {W("姓名"),   W("名字"),   W("联系人"), W("聯繫人"), W("聯絡人"), W("收件人"), W("收货人"),
                                   W("收貨人"), W("寄件人"), W("负责人"), W("負責人"), W("申请人"), W("申請人"), W("持卡人"),
                                   W("患者"),   W("乘客"),   W("我叫"),   W("名叫"),   W("叫做"),   W("本人"),   W("客户"),
                                   W("顾客"),   W("客戶"),   W("顧客"),   W("户主"),   W("戶主"),   W("法人"),   W("经办人"),
                                   W("收款人"), W("收款方"), {NULL, 0}};
/* weak: 给 / 叫 / 我是 (Cantonese 我係, session 14) ..., and a department or group with 的 ("财务部的周敏", "技术组的马超": the
 * name of a colleague; session 11) */
static const word_t cn_weak[] = {W("给"),   W("叫"),   W("致"),   W("找"),   W("联系"), W("聯繫"), W("我是"), W("我係"),
                                 W("部的"), W("组的"), W("組的"), W("科的"), W("处的"), W("處的"), W("室的"), {NULL, 0}};
/* titles and forms of address written after a surname or a full name ("王总", "刘经理", "陈老师", "孙婷婷主任"; session 11):
 * the surname with its title is how colleagues, teachers and doctors are named. 总 alone only before a delimiter or a
 * verb (总是, 总结, 总共 are words) */
static const word_t cn_title[] = {W("总经理"), W("總經理"), W("总监"), W("總監"), W("经理"), W("經理"), W("老师"),   W("老師"),
                                  W("主任"),   W("医生"),   W("醫生"), W("大夫"), W("律师"), W("律師"), W("教授"),   W("部长"),
                                  W("处长"),   W("處長"),   W("科长"), W("局长"), W("院长"), W("校长"), W("董事长"), W("主管"),
                                  W("工程师"), W("师傅"),   W("護士"), W("护士"), W("总"),   W("總"),   {NULL, 0}};
static const word_t cn_honor[] = {W("先生"), W("女士"), W("小姐"), W("太太"), {NULL, 0}};
/* (患者名 patient name, お名前 your name, 顧客名 customer name, 受取人 / 宛名 addressee: session 11) */
static const word_t jp_strong[] = {W("氏名"),   W("名前"), W("担当者"), W("担当"),     W("申込者"),
                                   W("契約者"), W("私は"), W("患者名"), W("お名前"),   W("顧客名"),
                                   W("受取人"), W("宛名"), W("名義"),   W("生徒氏名"), {NULL, 0}};
/* after the name: honorifics, and the humble self-introduction "…と申します" ("I am called …") */
/* and the titles written after a surname ("高田部長", "山田先生": session 11) */
static const word_t jp_honor[] = {W("さん"), W("様"),         W("さま"),           W("氏"),   W("殿"),   W("ちゃん"),
                                  W("くん"), W("と申します"), W("と申し上げます"), W("部長"), W("課長"), W("社長"),
                                  W("係長"), W("先生"),       W("教授"),           W("店長"), W("院長"), {NULL, 0}};
static const word_t kr_strong[] = {W("이름은"),  W("이름"),   W("성명"),   W("담당자"), W("저는"),   W("제 이름은"),
                                   W("성함"),    W("예금주"), W("수취인"), W("환자명"), W("예약자"), W("보호자"),
                                   W("받는 분"), W("받는분"), W("수령인"), W("수신인"), {NULL, 0}};
/* (예금주 account holder, 수취인 recipient: session 10; 환자명 patient name, 예약자 the booking's holder, 보호자 guardian:
 * session 13; ja 名義 account holder: session 13) */
/* after the name: honorifics, and the self-introduction "…(이)라고 합니다" ("I am called …") */
static const word_t kr_honor[] = {W("씨"),          W("님"),        W("이라고 합니다"), W("라고 합니다"),
                                  W("이라고 해요"), W("라고 해요"), {NULL, 0}};
/* Korean words ending in an honorific-like syllable that are titles, not names */
static const word_t kr_title[] = {W("선생님"), W("사장님"), W("고객님"), W("교수님"), W("회장님"), W("부장님"), W("과장님"),
                                  W("팀장님"), W("원장님"), W("실장님"), W("대표님"), W("손님"),   W("여러분"), W("아버님"),
                                  W("어머님"), W("형님"),   W("누님"),   W("선배님"), W("후배님"), {NULL, 0}};

/* ---- code point classes ---- */

static int is_hangul(uint32_t cp)
{
    return cp >= 0xAC00 && cp <= 0xD7A3;
}

static int is_kata(uint32_t cp)
{
    return (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC || cp == 0x30FB;
}

static int is_hira(uint32_t cp)
{
    return cp >= 0x3041 && cp <= 0x3096;
}

/* 1 if the UTF-8 character at t[p] (n bytes) is in the concatenated list `set` of 3-byte characters */
static int in_set3(const char *set, const char *t, size_t n)
{
    if (n != 3)
        return 0;
    for (const char *s = set; *s; s += 3)
        if (s[0] == t[0] && s[1] == t[1] && s[2] == t[2])
            return 1;
    return 0;
}

/* 1 if the character `cp` (n bytes at t) is in `set`; exact table lookup for the main ideograph
 * block, the bitmap filter and a pass over the set elsewhere */
static int han_in(const pol__script_tables_t *tb, uint32_t cp, const char *t, size_t n, unsigned flag, const char *set)
{
    if (cp >= 0x4E00 && cp < 0x4E00 + sizeof(tb->han))
        return (tb->han[cp - 0x4E00] & flag) != 0;
    return POL__BIT_HAS(tb->stop, cp) && in_set3(set, t, n);
}

/* the longest word of `words` at t[p], or 0 */
static size_t word_at(const char *t, size_t len, size_t p, const word_t *words)
{
    size_t best = 0;
    if (p >= len)
        return 0; /* a trigger at the text's end ("请填写您的姓名"): nothing after it (read t[len] before) */
    for (const word_t *w = words; w->s != NULL; w++) {
        /* kana and Hangul share their first two bytes: compare three before the call */
        const char *x = w->s;
        if (x[0] != t[p] || (x[1] != 0 && (p + 1 >= len || x[1] != t[p + 1])) ||
            (x[1] != 0 && x[2] != 0 && (p + 2 >= len || x[2] != t[p + 2])))
            continue;
        size_t n = w->n;
        if (n > best && p + n <= len && memcmp(t + p, x, n) == 0)
            best = n;
    }
    return best;
}

/* the longest word of `words` ending at t[p], or 0 */
static size_t word_before(const char *t, size_t p, const word_t *words)
{
    size_t best = 0;
    if (p < 2)
        return 0;
    for (const word_t *w = words; w->s != NULL; w++) {
        size_t n = w->n;
        if (n > best && n <= p && w->s[n - 1] == t[p - 1] && memcmp(t + p - n, w->s, n) == 0)
            best = n;
    }
    return best;
}

static int push(pol__scanctx_t *c, int type, size_t s, size_t e, double score)
{
    if (pol__cands_push(c->cands, type, s, e, score) != 0)
        return -1;
    c->cands->v[c->cands->n - 1].ctx_done = type == POL_PII_PERSON;
    return 0;
}

/* ---- Chinese names ---- */

/* A Chinese name at p: surname (1 or 2 ideographs) + 1-2 given-name ideographs that are not stop
 * characters. @return its end, or p if there is none. `given_min` = 0 lets a surname stand alone. */
static size_t cn_name(const char *t, size_t len, size_t p, int given_min)
{
    size_t q = p + word_at(t, len, p, cn_surname2);
    uint32_t cp;
    if (q == p) {
        if (p >= len || pol__cp_at(t, len, p, &cp) != 3 || !in_set3(cn_surname1, t + p, 3))
            return p;
        q = p + 3;
    }
    int given = 0;
    while (given < 2 && q < len) {
        size_t n = pol__cp_at(t, len, q, &cp);
        if (!pol__cp_han(cp) || in_set3(cn_stop, t + q, n) || word_at(t, len, q, cn_honor) != 0)
            break;
        q += n, given++;
    }
    return given >= given_min ? q : p;
}

/* separators between a label and the name: spaces, ':' (normalised from '：'), 是, 为, 叫, は, が, 은, 는, and the quotes of a
 * JSON key and value ("이름": "정하늘", "收件人": "陈静"; session 16) */
static size_t skip_label_sep(const char *t, size_t len, size_t p)
{
    static const word_t seps[] = {W("是"), W("为"), W("為"), W("叫"), W("は"), W("が"), W("："), W("은"), W("는"), {NULL, 0}};
    for (int k = 0; k < 6 && p < len; k++) {
        if (t[p] == ' ' || t[p] == ':' || t[p] == '\t' || t[p] == '"' || t[p] == '\'') {
            p++;
            continue;
        }
        size_t n = word_at(t, len, p, seps);
        if (n == 0)
            break;
        p += n;
    }
    return p;
}

static int cn_after_trigger(pol__scanctx_t *c, size_t p, int strong)
{
    const char *t = c->text;
    size_t len = c->len;
    size_t s = strong ? skip_label_sep(t, len, p) : p;
    size_t e = cn_name(t, len, s, 1);
    if (e == s)
        return 0;
    if (!strong) {
        /* 给/叫 + name: only when the name is followed by a delimiter, an honorific or a verb of contact */
        static const word_t after[] = {W("发"),   W("打"), W("写"), W("回"), W("寄"), W("送"), W("说"), W("先生"), W("女士"),
                                       W("小姐"), W("，"), W("。"), W("、"), W("！"), W("？"), W(","),  W("."),    W(" "),
                                       W("\n"),   W("留"), W("转"), W("带"), W("（"), W("("),  W(":"),  {NULL, 0}};
        /* words led by a surname character that follow 给/叫 in prompts ("给黄色的猫", "叫高手") */
        static const word_t words[] = {W("黄色"), W("白色"), W("金色"),   W("高清"), W("马上"), W("高兴"), W("方法"),
                                       W("方面"), W("方便"), W("文件"),   W("文字"), W("文章"), W("石头"), W("牛奶"),
                                       W("叶子"), W("钱包"), W("金属"),   W("夏天"), W("常见"), W("万一"), W("任何"),
                                       W("任务"), W("程序"), W("许多"),   W("高手"), W("龙虾"), W("江湖"), W("温暖"),
                                       W("温柔"), W("严格"), W("安全"),   W("洪水"), W("雷电"), W("毛衣"), W("白天"),
                                       W("林子"), W("孔雀"), W("向日葵"), W("康复"), W("易经"), W("汤圆"), {NULL, 0}};
        if ((e < len && word_at(t, len, e, after) == 0) || word_at(t, len, s, words) != 0)
            return 0;
    }
    return push(c, POL_PII_PERSON, s, e, strong ? 0.85 : 0.7);
}

/* A business card (名片): a line that is only a Chinese name (surname + 1-2 characters), with a
 * contact label on one of the two next lines ("张伟\n产品经理\n手机：138..."). The layout is the
 * second signal. `p` starts a line. */
static int cn_card_name(pol__scanctx_t *c, size_t p)
{
    static const word_t labels[] = {W("手机"),  W("电话"),   W("邮箱"),  W("地址"),   W("职位"), W("微信"),
                                    W("手機"),  W("電話"),   W("郵箱"),  W("地址"),   W("Tel"),  W("Mob"),
                                    W("Email"), W("E-mail"), W("Phone"), W("Mobile"), {NULL, 0}};
    const char *t = c->text;
    size_t len = c->len, e = cn_name(t, len, p, 1);
    if (e == p || (e < len && t[e] != '\n' && t[e] != '\r'))
        return 0;
    size_t q = e;
    for (int line = 0; line < 2 && q < len; line++) {
        while (q < len && (t[q] == '\n' || t[q] == '\r' || t[q] == ' '))
            q++;
        if (word_at(t, len, q, labels) != 0)
            return push(c, POL_PII_PERSON, p, e, 0.75);
        while (q < len && t[q] != '\n')
            q++;
    }
    return 0;
}

static int cn_before_honorific(pol__scanctx_t *c, size_t p)
{
    /* the name ends at p: try a surname 3, 2 then 1 ideographs before p (the longest name first) */
    const char *t = c->text;
    for (size_t back = 9; back >= 3; back -= 3) {
        if (back > p)
            continue;
        size_t s = p - back;
        if (s > 0 && (U(t[s]) & 0xC0) == 0x80)
            continue;
        /* a name of length back / 3 ideographs must end exactly at p and start after a non-name character */
        size_t e = cn_name(t, p, s, back == 3 ? 0 : 1);
        if (e != p)
            continue;
        return push(c, POL_PII_PERSON, s, p, 0.8);
    }
    return 0;
}

/* A surname or a full name written before a title that starts at p and is tl bytes long ("王总", "请刘经理", "孙婷婷主任"):
 * the span is the name with its title. The name starts the text or follows a non-ideograph or a stop character (的, 请,
 * 给, 和 ...), so a surname character ending a word ("森林总面积", "提高总体") is none. */
static int cn_before_title(pol__scanctx_t *c, size_t p, size_t tl)
{
    const char *t = c->text;
    size_t len = c->len;
    uint32_t cp;
    if (tl == 3) {
        /* 总 alone: a delimiter, an honorific or a verb of address must follow */
        static const word_t after[] = {W("您"), W("你"), W("好"), W("的"), W("说"), W("在"), W("让"),  W("要"), W("和"),
                                       W("也"), W("已"), W("请"), W("，"), W("。"), W("、"), W("！"),  W("？"), W("："),
                                       W("("),  W("（"), W(","),  W("."),  W(" "),  W("\n"), {NULL, 0}};
        if (p + 3 < len && word_at(t, len, p + 3, after) == 0)
            return 0;
    }
    for (size_t back = 9; back >= 3; back -= 3) {
        if (back > p)
            continue;
        size_t s = p - back;
        if ((U(t[s]) & 0xC0) == 0x80)
            continue;
        size_t e = cn_name(t, p, s, 0);
        if (e != p || (tl == 3 && back > 6))
            continue;
        if (s > 0 && pol__cp_before(t, s, &cp) == 3 && (pol__cp_han(cp) || is_kata(cp) || is_hira(cp)) &&
            !in_set3(cn_stop, t + s - 3, 3))
            continue;
        return push(c, POL_PII_PERSON, s, p + tl, 0.8);
    }
    return 0;
}

/* ---- Japanese names ---- */

static size_t kata_run(const char *t, size_t len, size_t p)
{
    uint32_t cp;
    size_t q = p, n, k = 0;
    while (q < len && (n = pol__cp_at(t, len, q, &cp)) == 3 && is_kata(cp))
        q += n, k++;
    return k >= 2 ? q : p;
}

/* a Japanese surname-led kanji name at p (surname + up to 2 more kanji, optionally a space and a
 * given name of 1-3 kanji); @return its end or p */
static size_t jp_name(const char *t, size_t len, size_t p)
{
    size_t q = p + word_at(t, len, p, jp_surnames);
    uint32_t cp;
    size_t n;
    if (q == p)
        return p;
    size_t given = 0;
    if (q < len && t[q] == ' ')
        q++;
    while (given < 3 && q < len && (n = pol__cp_at(t, len, q, &cp)) == 3 && pol__cp_han(cp))
        q += n, given++;
    if (given == 0 && q > p && t[q - 1] == ' ')
        q--;
    return q;
}

static int jp_after_trigger(pol__scanctx_t *c, size_t p)
{
    const char *t = c->text;
    size_t s = skip_label_sep(t, c->len, p);
    size_t e = jp_name(t, c->len, s);
    if (e == s)
        e = kata_run(t, c->len, s);
    return e > s ? push(c, POL_PII_PERSON, s, e, 0.85) : 0;
}

static int jp_before_honorific(pol__scanctx_t *c, size_t p)
{
    const char *t = c->text;
    /* one space between the name and the honorific ("小林 翔太 様") */
    if (p > 3 && t[p - 1] == ' ' && U(t[p - 2]) >= 0x80)
        p--;
    /* a katakana name (スミスさん) or a kanji run of 1-5 ideographs led by a Japanese surname */
    uint32_t cp;
    size_t s = p, n, k = 0;
    while (s > 0 && k < 8 && (n = pol__cp_before(t, s, &cp)) == 3 && is_kata(cp))
        s -= n, k++;
    if (k >= 2)
        return push(c, POL_PII_PERSON, s, p, 0.75);
    s = p, k = 0;
    while (s > 0 && k < 5 && (((n = pol__cp_before(t, s, &cp)) == 3 && pol__cp_han(cp)) || (t[s - 1] == ' ' && k > 0)))
        s -= t[s - 1] == ' ' ? 1 : n, k += t[s] != ' ';
    for (size_t q = s; q < p; q++) {
        if ((U(t[q]) & 0xC0) == 0x80 || t[q] == ' ')
            continue;
        if (word_at(t, p, q, jp_surnames) != 0 && jp_name(t, p, q) == p)
            return push(c, POL_PII_PERSON, q, p, 0.8);
    }
    return 0;
}

/* A name in parentheses right after a contact value or an identifier ("090-1234-5678（山田）", "B220345675（李建宏）",
 * "tanaka@example.jp（中村）": the owner of the value; session 11): p is the first ideograph after "（" or "(", the
 * character before the parenthesis an ASCII letter or digit, and the parenthesis holds only a Chinese name, a
 * Japanese surname-led name or a katakana name. */
static int paren_name(pol__scanctx_t *c, size_t p)
{
    const char *t = c->text;
    size_t len = c->len, o = p >= 3 && U(t[p - 3]) == 0xEF ? p - 3 : p - 1;
    if (o == 0 || !pol__is_alnum(U(t[o - 1])))
        return 0;
    size_t e = jp_name(t, len, p);
    if (e == p)
        e = cn_name(t, len, p, 1);
    if (e == p)
        e = kata_run(t, len, p);
    if (e == p || e >= len || !(t[e] == ')' || (e + 3 <= len && memcmp(t + e, "）", 3) == 0)))
        return 0;
    return push(c, POL_PII_PERSON, p, e, 0.75);
}

/* A Japanese name that opens the text or a sentence with "です" ("山本です。", "佐々木 健です、"): the writer introducing
 * themselves (session 11). The name is surname-led (jp_name) and "です" is followed by a delimiter or the end. */
static int jp_desu_name(pol__scanctx_t *c, size_t p)
{
    static const word_t after[] = {W("。"), W("、"), W("！"), W("が"), W("\n"), W(" "), W("."), W(","), W("!"), {NULL, 0}};
    const char *t = c->text;
    size_t len = c->len, e = jp_name(t, len, p);
    if (e == p || e + 6 > len || memcmp(t + e, "です", 6) != 0 || (e + 6 < len && word_at(t, len, e + 6, after) == 0))
        return 0;
    return push(c, POL_PII_PERSON, p, e, 0.8);
}

/* ---- Korean names ---- */

static int kr_syllable_at(const char *t, size_t len, size_t p)
{
    uint32_t cp;
    return p < len && pol__cp_at(t, len, p, &cp) == 3 && is_hangul(cp);
}

static int kr_after_trigger(pol__scanctx_t *c, size_t p)
{
    const char *t = c->text;
    size_t len = c->len;
    size_t s = skip_label_sep(t, len, p);
    if (!kr_syllable_at(t, len, s) || !in_set3(kr_surname, t + s, 3))
        return 0;
    size_t k = 0, e = s;
    while (k < 3 && kr_syllable_at(t, len, e))
        e += 3, k++;
    if (k < 2)
        return 0;
    return push(c, POL_PII_PERSON, s, e, 0.85);
}

static int kr_before_honorific(pol__scanctx_t *c, size_t p, size_t hn)
{
    const char *t = c->text;
    size_t tl = word_before(t, p + hn, kr_title);
    if (tl != 0) {
        /* a title is no name, but the name written before it is one: "최수진 고객님", "김민수 과장님" (session 10) */
        size_t ts = p + hn - tl;
        if (ts == 0 || t[ts - 1] != ' ')
            return 0;
        /* not a word that ends in a particle ("오늘은 선생님", "학교에 선생님": today, at school) or is a title ("고객님 선생님")
         */
        static const word_t particle[] = {W("은"), W("는"), W("을"), W("를"), W("의"), W("에"),  W("도"),
                                          W("가"), W("와"), W("과"), W("로"), W("님"), {NULL, 0}};
        if (word_before(t, ts - 1, particle) != 0)
            return 0;
        p = ts;
    }
    size_t e = p;
    if (e > 0 && t[e - 1] == ' ')
        e--;
    /* exactly three syllables (surname + given name), not glued to a longer Hangul word */
    if (e < 9)
        return 0;
    size_t s = e - 9;
    for (size_t q = s; q < e; q += 3)
        if (!kr_syllable_at(t, e, q))
            return 0;
    uint32_t cp;
    if (s > 0 && pol__cp_before(t, s, &cp) == 3 && is_hangul(cp))
        return 0;
    if (!in_set3(kr_surname, t + s, 3))
        return 0;
    return push(c, POL_PII_PERSON, s, e, 0.75);
}

/* ---- a name in a text of another language ---- */

size_t pol__cjk_name_at(const char *t, size_t len, size_t p)
{
    size_t e;
    if ((e = cn_name(t, len, p, 1)) != p || (e = jp_name(t, len, p)) != p || (e = kata_run(t, len, p)) != p)
        return e;
    if (kr_syllable_at(t, len, p) && in_set3(kr_surname, t + p, 3)) {
        size_t k = 0;
        for (e = p; k < 3 && kr_syllable_at(t, len, e); k++)
            e += 3;
        return k >= 2 ? e : p;
    }
    return p;
}

/* ---- Chinese and Japanese addresses ---- */

enum { SUF_ADMIN = 1, SUF_STREET = 2, SUF_NUM = 3, SUF_PREF = 4 };

typedef struct st_suffix_t {
    const char *w;
    size_t n;
    int kind;
} suffix_t;

static const suffix_t suffixes[] = {
    {"特别行政区", sizeof("特别行政区") - 1, SUF_ADMIN},
    {"自治区", sizeof("自治区") - 1, SUF_ADMIN},
    {"自治州", sizeof("自治州") - 1, SUF_ADMIN},
    {"省", sizeof("省") - 1, SUF_PREF},
    {"市", sizeof("市") - 1, SUF_ADMIN},
    {"区", sizeof("区") - 1, SUF_ADMIN},
    {"區", sizeof("區") - 1, SUF_ADMIN},
    {"县", sizeof("县") - 1, SUF_ADMIN},
    {"縣", sizeof("縣") - 1, SUF_ADMIN},
    {"镇", sizeof("镇") - 1, SUF_ADMIN},
    {"鎮", sizeof("鎮") - 1, SUF_ADMIN},
    {"乡", sizeof("乡") - 1, SUF_ADMIN},
    {"村", sizeof("村") - 1, SUF_ADMIN},
    {"都", sizeof("都") - 1, SUF_PREF},
    {"府", sizeof("府") - 1, SUF_PREF},
    {"県", sizeof("県") - 1, SUF_PREF},
    {"町", sizeof("町") - 1, SUF_ADMIN},
    {"郡", sizeof("郡") - 1, SUF_ADMIN},
    {"路", sizeof("路") - 1, SUF_STREET},
    {"街", sizeof("街") - 1, SUF_STREET},
    {"道", sizeof("道") - 1, SUF_STREET},
    {"巷", sizeof("巷") - 1, SUF_STREET},
    {"弄", sizeof("弄") - 1, SUF_STREET},
    {"段", sizeof("段") - 1, SUF_STREET},
    {"胡同", sizeof("胡同") - 1, SUF_STREET},
    {"大道", sizeof("大道") - 1, SUF_STREET},
    {"小区", sizeof("小区") - 1, SUF_STREET},
    {"社区", sizeof("社区") - 1, SUF_STREET},
    {"花园", sizeof("花园") - 1, SUF_STREET},
    {"大厦", sizeof("大厦") - 1, SUF_STREET},
    {"大廈", sizeof("大廈") - 1, SUF_STREET},
    {"丁目", sizeof("丁目") - 1, SUF_NUM},
    {"番地", sizeof("番地") - 1, SUF_NUM},
    {"番", sizeof("番") - 1, SUF_NUM},
    {"号楼", sizeof("号楼") - 1, SUF_NUM},
    {"号", sizeof("号") - 1, SUF_NUM},
    {"號", sizeof("號") - 1, SUF_NUM},
    {"栋", sizeof("栋") - 1, SUF_NUM},
    {"棟", sizeof("棟") - 1, SUF_NUM},
    {"幢", sizeof("幢") - 1, SUF_NUM},
    {"座", sizeof("座") - 1, SUF_NUM},
    {"楼", sizeof("楼") - 1, SUF_NUM},
    {"樓", sizeof("樓") - 1, SUF_NUM},
    {"层", sizeof("层") - 1, SUF_NUM},
    {"層", sizeof("層") - 1, SUF_NUM},
    {"室", sizeof("室") - 1, SUF_NUM},
    {"单元", sizeof("单元") - 1, SUF_NUM},
    {"單元", sizeof("單元") - 1, SUF_NUM},
    {"门", sizeof("门") - 1, SUF_NUM},
    {"階", sizeof("階") - 1, SUF_NUM},
    {NULL, 0, 0},
};

static const char cn_numerals[] = "一二三四五六七八九十百零〇两";

/* the longest suffix at t[p]: its length, *kind its kind */
static size_t suffix_at(const char *t, size_t len, size_t p, int *kind)
{
    size_t best = 0;
    for (const suffix_t *s = suffixes; s->w != NULL; s++) {
        /* every suffix starts with a 3-byte character: compare it before the call */
        if (p + 2 >= len || s->w[0] != t[p] || s->w[1] != t[p + 1] || s->w[2] != t[p + 2])
            continue;
        size_t n = s->n;
        if (n > best && p + n <= len && memcmp(t + p, s->w, n) == 0)
            best = n, *kind = s->kind;
    }
    return best;
}

/* characters that cannot be part of an address name: particles, verbs, pronouns (the run is cut there) */
static const char addr_stop[] = "的了是在和与及或说我你他她们住于到寄送往请发家从去来位为把被也都就还这那有没不很个些和着过请址";

/* A run of ideographs, digits and letters starting at p (p is a Han character): tries it as an address. */
static int cjk_address_run(pol__scanctx_t *c, size_t p, size_t *resume)
{
    const char *t = c->text;
    size_t len = c->len;
    /* components: [name][suffix]; the name is ideographs (2-6 for an administrative unit, 1-6 for
     * a street) or digits/letters/numerals (numbered parts) */
    size_t q = p, comp_start = p, first = (size_t)-1, last_end = 0;
    int ncomp = 0, numbered = 0, street = 0, pref = 0;
    size_t name_han = 0, name_num = 0;
    *resume = p;
    while (q < len) {
        uint32_t cp;
        size_t n = pol__cp_at(t, len, q, &cp);
        int kind = 0;
        int may_suffix = cp >= 0x4E00 && cp < 0x4E00 + sizeof(c->tables->han) ? (c->tables->han[cp - 0x4E00] & POL__HAN_SUFFIX) != 0
                                                                              : POL__BIT_HAS(c->tables->suffix, cp);
        size_t sl = may_suffix ? suffix_at(t, len, q, &kind) : 0;
        if (sl != 0 && (name_han + name_num) > 0) {
            int ok;
            if (kind == SUF_NUM)
                ok = name_num > 0 || (name_han > 0 && name_han <= 4 && ncomp > 0);
            else if (kind == SUF_STREET)
                ok = name_han <= 6;
            else
                ok = (name_han >= 2 || (name_han == 1 && ncomp > 0 && kind != SUF_PREF)) && name_han <= 6;
            if (ok) {
                if (first == (size_t)-1)
                    first = comp_start;
                ncomp++;
                numbered += kind == SUF_NUM && name_num > 0;
                street += kind == SUF_STREET;
                pref += kind == SUF_PREF;
                q += sl;
                last_end = q;
                comp_start = q;
                name_han = name_num = 0;
                continue;
            }
            /* not a component here ("京都" before "府"): the suffix is part of a name */
        }
        if (pol__cp_han(cp) && han_in(c->tables, cp, t + q, n, POL__HAN_ADDR_STOP, addr_stop)) {
            if (ncomp > 0)
                break;
            q += n; /* "我住在" before the address: it starts after */
            comp_start = q;
            name_han = name_num = 0;
            continue;
        }
        if (pol__cp_han(cp)) {
            if (han_in(c->tables, cp, t + q, n, POL__HAN_NUMERAL, cn_numerals))
                name_num++;
            else
                name_han++;
            q += n;
        } else if (U(t[q]) < 0x80 && (((t[q] >= '0' && t[q] <= '9') || (t[q] >= 'A' && t[q] <= 'Z')) ||
                                      ((t[q] == '-' || t[q] == '#') && name_num > 0))) {
            name_num++;
            q++;
        } else if (n == 3 && (cp == 0x30F6 || cp == 0x30CE || cp == 0x306E) && name_han > 0) {
            q += n; /* ヶ ノ の inside Japanese place names (霞ヶ関) */
        } else if (ncomp > 0 && name_num == 0 && t[q] == ' ' && q + 1 < len && U(t[q + 1]) >= 0x80) {
            q++; /* "北京市 朝阳区" */
        } else {
            break;
        }
        if (ncomp == 0 && name_han + name_num > 6) {
            /* a long run of prose before any suffix: slide the candidate start by one character */
            comp_start += pol__cp_at(t, len, comp_start, &cp);
            if (U(t[comp_start - 1]) < 0x80 || in_set3(cn_numerals, t + comp_start - 3, 3))
                name_num--;
            else
                name_han--;
        }
        if (ncomp > 0 && name_han + name_num > 12)
            break;
    }
    /* a trailing numbered block after the last component: "千代田1-1", "建国路88" */
    if (ncomp > 0 && last_end < len) {
        size_t r = last_end, h = 0;
        uint32_t cp;
        size_t n;
        while (r < len && h < 4 && (n = pol__cp_at(t, len, r, &cp)) == 3 && pol__cp_han(cp) && !in_set3(addr_stop, t + r, n))
            r += n, h++;
        size_t d = r;
        while (d < len && ((t[d] >= '0' && t[d] <= '9') || (t[d] == '-' && d + 1 < len && t[d + 1] >= '0' && t[d + 1] <= '9')))
            d++;
        if (d > r && !pol__glue_after(t, len, d)) {
            last_end = d;
            ncomp++, numbered++;
        }
    }
    *resume = q > p ? q : p + 3;
    if (ncomp == 0)
        return 0;
    if (!(ncomp >= 3 || (ncomp == 2 && (numbered || street || pref))))
        return 0;
    /* the first component's name: trim address stop characters and keep at most 6 ideographs */
    size_t s = first;
    /* include a Japanese postcode 〒123-4567 right before */
    size_t b = s;
    while (b > 0 && t[b - 1] == ' ')
        b--;
    if (b >= 8 && t[b - 1] >= '0' && t[b - 1] <= '9') {
        size_t z = b;
        while (z > 0 && ((t[z - 1] >= '0' && t[z - 1] <= '9') || t[z - 1] == '-'))
            z--;
        if (b - z == 8 && z >= 3 && memcmp(t + z - 3, "\xe3\x80\x92", 3) == 0)
            s = z - 3;
    }
    return pol__cands_push(c->cands, POL_PII_LOCATION, s, last_end, ncomp >= 3 || numbered ? 0.75 : 0.6);
}

/* ---- Korean addresses ---- */

static const word_t kr_admin_end[] = {W("특별시"), W("광역시"), W("자치시"), W("특별자치도"), W("북도"), W("남도"),
                                      W("시"),     W("구"),     W("군"),     W("읍"),         W("면"),   {NULL, 0}};
static const word_t kr_local_end[] = {W("동"), W("리"), W("로"), W("길"), W("가"), {NULL, 0}};
static const word_t kr_provinces[] = {W("경기도"), W("강원도"), W("제주도"), {NULL, 0}};
static const word_t kr_not_place[] = {
    W("다시"),   W("혹시"), W("역시"), W("당시"), W("동시"), W("항시"), W("즉시"),   W("수시"), W("표시"), W("지시"),
    W("게시"),   W("제시"), W("무시"), W("감시"), W("전시"), W("개시"), W("친구"),   W("가구"), W("도구"), W("연구"),
    W("요구"),   W("입구"), W("출구"), W("운동"), W("활동"), W("자동"), W("행동"),   W("감동"), W("이동"), W("정리"),
    W("처리"),   W("관리"), W("거리"), W("자리"), W("머리"), W("소리"), W("우리"),   W("요리"), W("다리"), W("유리"),
    W("따로"),   W("바로"), W("새로"), W("서로"), W("주로"), W("대로"), W("그대로"), W("가로"), W("세로"), W("스스로"),
    W("아무리"), W("평가"), W("국가"), W("작가"), W("누가"), W("내가"), W("제가"),   W("네가"), {NULL, 0}};

/* a Korean address word at p (Hangul syllables, possibly led by digits: "4길", "101동"); its kind: 1 admin, 2 local, 0 none */
static int kr_word(const char *t, size_t len, size_t p, size_t *end)
{
    size_t q = p, syl = 0, dig = 0;
    while (q < len && t[q] >= '0' && t[q] <= '9')
        q++, dig++;
    if (dig > 0 && q < len && t[q] == '-')
        return 0;
    while (q < len && kr_syllable_at(t, len, q))
        q += 3, syl++;
    *end = q;
    if (syl == 0 || pol__glue_after(t, len, q))
        return 0;
    size_t wl = q - p;
    /* a particle "으로"/"에서" ending is not a road name */
    if (q - p >= 6 && (memcmp(t + q - 6, "으로", 6) == 0 || memcmp(t + q - 6, "에서", 6) == 0))
        return 0;
    if (dig == 0 && syl < 2)
        return 0;
    int kind = 0;
    size_t n;
    if (word_before(t, q, kr_provinces) == wl)
        kind = 1;
    else if ((n = word_before(t, q, kr_admin_end)) != 0 && (dig == 0 || n == 3) && wl > n)
        kind = 1;
    else if ((n = word_before(t, q, kr_local_end)) != 0 && wl > n)
        kind = 2;
    if (kind == 0)
        return 0;
    for (const word_t *w = kr_not_place; w->s != NULL; w++)
        if (w->n == wl && memcmp(t + p, w->s, wl) == 0)
            return 0;
    return kind;
}

static int kr_address(pol__scanctx_t *c, size_t p, size_t *resume)
{
    const char *t = c->text;
    size_t len = c->len;
    size_t q = p, end, last = p;
    int ncomp = 0, local = 0, number = 0;
    *resume = p + 3;
    for (;;) {
        int k = kr_word(t, len, q, &end);
        if (k == 0)
            break;
        ncomp++, local += k == 2;
        last = end;
        *resume = end;
        if (end + 1 < len && t[end] == ' ')
            q = end + 1;
        else
            break;
    }
    if (ncomp == 0)
        return 0;
    /* building number "123", "123-45", optionally more words of the unit ("101동 1001호") */
    q = last;
    if (q + 1 < len && t[q] == ' ' && t[q + 1] >= '0' && t[q + 1] <= '9') {
        size_t d = q + 1;
        while (d < len && ((t[d] >= '0' && t[d] <= '9') || (t[d] == '-' && d + 1 < len && t[d + 1] >= '0' && t[d + 1] <= '9')))
            d++;
        if (!pol__glue_after(t, len, d)) {
            number = 1;
            last = d;
            /* "101동 1001호" */
            while (last + 1 < len && t[last] == ' ' && t[last + 1] >= '0' && t[last + 1] <= '9') {
                size_t e2 = last + 1;
                while (e2 < len && t[e2] >= '0' && t[e2] <= '9')
                    e2++;
                if (e2 + 3 <= len && (memcmp(t + e2, "동", 3) == 0 || memcmp(t + e2, "호", 3) == 0 || memcmp(t + e2, "층", 3) == 0))
                    last = e2 + 3;
                else
                    break;
            }
        }
    }
    if (!(local >= 1 && (ncomp >= 3 || (ncomp >= 2 && number))))
        return 0;
    *resume = last;
    return pol__cands_push(c->cands, POL_PII_LOCATION, p, last, 0.75);
}

/* ---- the pass ---- */

/* sets bit (cp & 1023) of `bits` for the first code point of each word */
static void first_bits(uint64_t bits[16], const word_t *words)
{
    for (const word_t *w = words; w->s != NULL; w++) {
        uint32_t cp;
        pol__cp_at(w->s, w->n, 0, &cp);
        bits[(cp >> 6) & 15] |= (uint64_t)1 << (cp & 63);
    }
}

/* same for every character of a concatenated set of 3-byte characters */
static void set_bits(uint64_t bits[16], const char *set)
{
    for (const char *s = set; *s; s += 3) {
        uint32_t cp;
        pol__cp_at(s, 3, 0, &cp);
        bits[(cp >> 6) & 15] |= (uint64_t)1 << (cp & 63);
    }
}

static void han_flag(pol__script_tables_t *tb, const char *w, unsigned flag)
{
    uint32_t cp;
    pol__cp_at(w, strlen(w), 0, &cp);
    if (cp >= 0x4E00 && cp < 0x4E00 + sizeof(tb->han))
        tb->han[cp - 0x4E00] |= (unsigned char)flag;
}

static void han_set(pol__script_tables_t *tb, const char *set, unsigned flag)
{
    for (const char *s = set; *s; s += 3) {
        char one[4] = {s[0], s[1], s[2], 0};
        han_flag(tb, one, flag);
    }
}

int pol__script_tables_init(pol__script_tables_t *tb)
{
    static const word_t *const lists[] = {cn_strong, cn_weak, cn_honor, cn_title, jp_strong, jp_honor, kr_strong, kr_honor};
    memset(tb, 0, sizeof(*tb));
    for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
        first_bits(tb->person, lists[k]);
        for (const word_t *w = lists[k]; w->s != NULL; w++)
            han_flag(tb, w->s, POL__HAN_PERSON);
    }
    for (const suffix_t *s = suffixes; s->w != NULL; s++) {
        const word_t one[] = {{s->w, s->n}, {NULL, 0}};
        first_bits(tb->suffix, one);
        han_flag(tb, s->w, POL__HAN_SUFFIX);
    }
    set_bits(tb->stop, addr_stop);
    set_bits(tb->stop, cn_stop);
    set_bits(tb->stop, cn_numerals);
    han_set(tb, addr_stop, POL__HAN_ADDR_STOP);
    han_set(tb, cn_stop, POL__HAN_NAME_STOP);
    han_set(tb, cn_numerals, POL__HAN_NUMERAL);
    return pol__script_trigger_index(tb);
}

int pol__cjk_scan(pol__scanctx_t *c)
{
    const char *t = c->text;
    size_t len = c->len;
    int person = c->enabled[POL_PII_PERSON], location = c->enabled[POL_PII_LOCATION];
    size_t addr_resume = 0, kr_resume = 0;
    if (!person && !location)
        return 0;
    const pol__script_tables_t *tb = c->tables;
    uint32_t prev = 0;   /* the code point before i */
    size_t prev_end = 0; /* where the character held in prev ended */
    for (size_t i = 0; (i = pol__next_byte_in(t, len, i, 0xE3, 0xED)) < len;) {
        uint32_t cp;
        size_t n;
        /* only kana, ideographs and Hangul (lead bytes E3-ED) are visited */
        if (i != prev_end) {
            prev = 0;
            if (i > 0)
                pol__cp_before(t, i, &prev);
        }
        if ((n = pol__cp_at(t, len, i, &cp)) != 3) {
            prev = 0xFFFD;
            prev_end = ++i;
            continue;
        }
        size_t w;
        /* the first characters of every trigger and honorific: most ideographs are none of them */
        if (person && (cp >= 0x4E00 && cp < 0x4E00 + sizeof(tb->han) ? (tb->han[cp - 0x4E00] & POL__HAN_PERSON) != 0
                                                                     : POL__BIT_HAS(tb->person, cp))) {
            int han = pol__cp_han(cp), hangul = is_hangul(cp);
            if (han && (w = word_at(t, len, i, cn_strong)) != 0 && cn_after_trigger(c, i + w, 1) != 0)
                return -1;
            if (han && (w = word_at(t, len, i, cn_weak)) != 0 && cn_after_trigger(c, i + w, 0) != 0)
                return -1;
            if (han && word_at(t, len, i, cn_honor) != 0 && cn_before_honorific(c, i) != 0)
                return -1;
            if (han && (w = word_at(t, len, i, cn_title)) != 0 && cn_before_title(c, i, w) != 0)
                return -1;
            if (!hangul && (w = word_at(t, len, i, jp_strong)) != 0 && jp_after_trigger(c, i + w) != 0)
                return -1;
            if (!hangul && word_at(t, len, i, jp_honor) != 0 && !is_hira(prev) && jp_before_honorific(c, i) != 0)
                return -1;
            if (hangul && (w = word_at(t, len, i, kr_strong)) != 0 && kr_after_trigger(c, i + w) != 0)
                return -1;
            if (hangul && (w = word_at(t, len, i, kr_honor)) != 0 && kr_before_honorific(c, i, w) != 0)
                return -1;
        }
        /* a name in parentheses after a contact value; a Japanese name with です opening a sentence */
        if (person && (prev == 0xFF08 || prev == '(') && paren_name(c, i) != 0)
            return -1;
        if (person && (i == 0 || prev == '\n' || prev == 0x3002) && pol__cp_han(cp) && jp_desu_name(c, i) != 0)
            return -1;
        /* a name alone on a line of a business card */
        if (person && (i == 0 || prev == '\n') && pol__cp_han(cp) && cn_card_name(c, i) != 0)
            return -1;
        if (location && i >= addr_resume && pol__cp_han(cp) && !pol__cp_han(prev)) {
            if (cjk_address_run(c, i, &addr_resume) != 0)
                return -1;
        }
        if (location && i >= kr_resume && is_hangul(cp) && !is_hangul(prev) && !(prev >= '0' && prev <= '9')) {
            if (kr_address(c, i, &kr_resume) != 0)
                return -1;
        }
        prev = cp;
        prev_end = i += n;
    }
    return 0;
}

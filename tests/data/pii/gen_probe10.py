#!/usr/bin/env python3
"""Writes tests/data/pii/probe10.jsonl: the session-10 blind probe, a second holdout for
tests/unit/policy/test_pii_probe10.c.

Source: written by hand in session 10 (2026-12-07) by an engineer of the project, BEFORE reading how
the recognizers treat each case: realistic chat and image prompts in 26 languages and scripts with
personal data glued to the script (no spaces), full-width forms, Arabic-Indic, Persian, Devanagari,
Bengali and Thai digits, names in introductions and signatures, local address formats, national
identifiers with valid check digits (computed with python-stdnum 1.18, Debian python3-stdnum, and
checked with it), IBANs of many countries, phone numbers in national formats, IDN e-mails, IPv6,
grouped cards, dates of birth in context, percent-encoded values outside URLs, and PII-free
look-alikes (prices, order numbers, ISBNs, versions, years, math, code). All values are synthetic.
After the first run, and before any rule was changed, three identifiers were corrected (two CN resident
IDs and a card whose check digits the author had miscomputed: the engine was right to reject them) and
two bank account numbers were labelled ID (`Số tài khoản`, `계좌번호`); nothing else was changed or
added, so its score is the nearest thing to an unseen-prompt measure we have (the session's fixes
were made for the causes, with their own unit tests, not for these lines; but their author read these
misses, so the next session should write its own probe).

Markup: ⟦TYPE|value⟧ marks a gold span; TYPE is EMAIL, PHONE, CREDIT_CARD, IBAN, PERSON, LOCATION,
ID (any national or sector identifier), DATE (a date of birth), IP. Offsets are code points.
Run: python3 tests/data/pii/gen_probe10.py > tests/data/pii/probe10.jsonl
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from probegen import write_cases  # noqa: E402

CASES = r"""
zh	请联系⟦PERSON|张伟⟧，电话⟦PHONE|13812345678⟧，邮箱⟦EMAIL|zhang.wei@example.cn⟧
zh	我是⟦PERSON|李娜⟧，手机⟦PHONE|139 1234 5678⟧，有问题随时找我
zh	收件人：⟦PERSON|王芳⟧ 电话：⟦PHONE|１３８１２３４５６７８⟧ 地址：⟦LOCATION|北京市朝阳区建国路88号⟧
zh	邮箱：⟦EMAIL|ｚｈａｎｇｓａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ⟧，请尽快回复
zh	身份证号码⟦ID|110105199003071239⟧，请帮我核对一下是否正确
zh	我的身份证是⟦ID|440301198506120028⟧，出生日期⟦DATE|1985年6月12日⟧
zh	请把这段话翻译成英文：我叫⟦PERSON|刘洋⟧，住在⟦LOCATION|上海市浦东新区世纪大道100号⟧
zh	银行卡号⟦CREDIT_CARD|6200 0000 0000 0005⟧，开户行是招商银行
zh	服务器地址⟦IP|2001:db8:85a3::8a2e:370:7334⟧，请勿外传
zh	登录IP是⟦IP|203.0.113.45⟧，时间是昨天晚上
zh	客户⟦PERSON|陈静⟧的邮箱⟦EMAIL|chenjing@163.com⟧已经失效了
zh	把这个用户的资料脱敏：姓名⟦PERSON|赵磊⟧，手机号⟦PHONE|+86 186 0123 4567⟧
zh	帮我写一封邮件给⟦PERSON|黄晓明⟧先生，感谢他的帮助
zh	收货地址：⟦LOCATION|广东省深圳市南山区科技园南路15号⟧，联系人⟦PERSON|周杰⟧
zh	IBAN：⟦IBAN|DE89370400440532013000⟧，转账请备注订单号
zh	这件衣服价格是¥1,299.00，打折后只要899元
zh	订单号：202312150001234，请查询物流
zh	这本书的ISBN是978-7-115-54608-1，出版于2021年
zh	版本号 v2.3.14 修复了内存泄漏，请升级到 3.0.1
zh	从2019年到2023年，公司营收增长了300%
zh	圆周率约等于3.14159265358979，请保留两位小数
zh	王者荣耀是一款很受欢迎的游戏，高兴的是我赢了
zh	画一只在长城上奔跑的熊猫，分辨率1920x1080，种子12345678
zh	运单号SF1234567890123已经签收
zh	股票代码600519今天涨了2.5%
zh	请把温度从37.5摄氏度换算成华氏度
zht	您好，我是⟦PERSON|林志明⟧，電話⟦PHONE|0912-345-678⟧，郵箱⟦EMAIL|lin.zm@example.com.tw⟧
zht	地址：⟦LOCATION|台北市大安區忠孝東路四段100號⟧，請寄到這裡
zht	聯絡人：⟦PERSON|陳美玲⟧，行動電話⟦PHONE|+886 912 345 678⟧
zht	身分證字號是 ⟦ID|A123456789⟧，請保密
zht	這台筆電售價NT$32,900，型號是X1-2023
zht	訂單編號：TW20231215009，預計三天到貨
ja	私は⟦PERSON|田中太郎⟧です。電話は⟦PHONE|090-1234-5678⟧、メールは⟦EMAIL|tanaka@example.jp⟧です
ja	住所は⟦LOCATION|〒150-0002 東京都渋谷区渋谷2-21-1⟧です
ja	⟦PERSON|佐藤花子⟧様、いつもお世話になっております
ja	担当の⟦PERSON|鈴木⟧と申します。ご不明点は⟦PHONE|03-1234-5678⟧までお願いします
ja	マイナンバーは⟦ID|123456789018⟧です。誰にも教えないでください
ja	連絡先：⟦PHONE|０９０－９８７６－５４３２⟧（⟦PERSON|山田⟧）
ja	生年月日：⟦DATE|1985年6月12日⟧、氏名：⟦PERSON|高橋健一⟧
ja	このメールアドレス⟦EMAIL|yamada＠example．co．jp⟧に送ってください
ja	送付先：⟦LOCATION|大阪府大阪市北区梅田3-1-3⟧
ja	価格は¥12,800（税込）です。注文番号は1234-5678-90です
ja	バージョン1.2.3から2.0.0にアップデートしました
ja	お客様各位、メンテナンスは2024年1月15日に行います
ja	この画像を1024×768にリサイズして、ISBN 978-4-06-293701-8 の表紙を描いて
ja	皆様、今年もよろしくお願いいたします
ko	안녕하세요, 저는 ⟦PERSON|김민수⟧입니다. 연락처는 ⟦PHONE|010-1234-5678⟧입니다
ko	제 이메일은 ⟦EMAIL|minsu.kim@example.co.kr⟧이에요
ko	주소: ⟦LOCATION|서울특별시 강남구 테헤란로 152⟧
ko	주민등록번호 ⟦ID|900815-1234565⟧ 확인 부탁드립니다
ko	⟦PERSON|이영희⟧ 님께 보내는 편지를 써 주세요
ko	전화번호는⟦PHONE|０１０－９８７６－５４３２⟧이고 생년월일은 ⟦DATE|1990년 8월 15일⟧입니다
ko	담당자: ⟦PERSON|박지훈⟧, 이메일 ⟦EMAIL|jh.park@example.kr⟧
ko	카드번호 ⟦CREDIT_CARD|5555-5555-5555-4444⟧로 결제해 주세요
ko	고객님, 주문번호 20231215-0001 상품이 발송되었습니다
ko	가격은 39,900원이고 버전은 3.2.1입니다
ko	2023년 매출은 1,234억 원으로 전년 대비 15% 증가했다
ar	اسمي ⟦PERSON|أحمد الخطيب⟧ ورقم جوالي ⟦PHONE|+966 50 123 4567⟧
ar	راسلني على ⟦EMAIL|ahmed.k@example.sa⟧ من فضلك
ar	رقم هاتفي ⟦PHONE|٠٥٠١٢٣٤٥٦٧⟧ اتصل بي مساء
ar	أرسل المبلغ إلى الحساب ⟦IBAN|SA03 8000 0000 6080 1016 7519⟧
ar	تاريخ الميلاد: ⟦DATE|١٥/٠٣/١٩٩٠⟧
ar	العنوان: ⟦LOCATION|شارع الملك فهد 25، الرياض 12271⟧
ar	مع تحياتي،\n⟦PERSON|خالد العتيبي⟧
ar	رقم البطاقة⟦CREDIT_CARD|4111111111111111⟧ صالحة حتى 12/27
ar	السيد ⟦PERSON|محمد العلي⟧، نرجو منك تأكيد الحجز
ar	IBAN: ⟦IBAN|AE07 0331 2345 6789 0123 456⟧
ar	السعر 250 ريال ورقم الطلب 100234567
ar	الإصدار 2.4.1 متوفر الآن للتحميل
ar	في عام 2022 زار المدينة أكثر من 1500000 سائح
he	שמי ⟦PERSON|דוד כהן⟧ והטלפון שלי ⟦PHONE|050-123-4567⟧
he	אפשר לכתוב לי ל⟦EMAIL|david.cohen@example.co.il⟧
he	הכתובת: ⟦LOCATION|רחוב הרצל 12, תל אביב⟧
he	מספר הכרטיס ⟦CREDIT_CARD|4000 0000 0000 0002⟧
he	בברכה,\n⟦PERSON|שרה לוי⟧
he	המחיר הוא 129 ש"ח, מספר הזמנה 45821973
he	גרסה 5.1.2 שוחררה בשנת 2023
hi	मेरा नाम ⟦PERSON|राहुल शर्मा⟧ है और मेरा फ़ोन नंबर ⟦PHONE|+91 98765 43210⟧ है
hi	मेरा ईमेल ⟦EMAIL|rahul.sharma@example.in⟧ है
hi	फ़ोन: ⟦PHONE|९८७६५४३२१०⟧
hi	आधार संख्या ⟦ID|2345 6789 0124⟧ है
hi	पता: ⟦LOCATION|मकान नंबर 12, एमजी रोड, बेंगलुरु 560001⟧
hi	जन्म तिथि: ⟦DATE|15/08/1990⟧
hi	श्री ⟦PERSON|अमित कुमार⟧ को यह पत्र भेजें
hi	इस फ़ोन की कीमत ₹15,999 है और मॉडल नंबर 2023-A15 है
hi	संस्करण 4.2.0 में कई सुधार किए गए हैं
hi	भारत की जनसंख्या 2011 में 121 करोड़ थी
bn	আমার নাম ⟦PERSON|রাকিব হাসান⟧, ফোন ⟦PHONE|০১৭১২৩৪৫৬৭৮⟧
bn	ইমেইল: ⟦EMAIL|rakib.hasan@example.com.bd⟧
bn	ঠিকানা: ⟦LOCATION|বাড়ি ১২, রোড ৫, ধানমন্ডি, ঢাকা ১২০৫⟧
bn	যোগাযোগ করুন ⟦PHONE|+880 1712-345678⟧ নম্বরে
bn	দাম ১২০০ টাকা, অর্ডার নম্বর ৫৫৬৬৭৭৮৮
th	ผมชื่อ⟦PERSON|สมชาย ใจดี⟧ เบอร์โทร⟦PHONE|081-234-5678⟧
th	อีเมล⟦EMAIL|somchai@example.co.th⟧ครับ
th	ที่อยู่ ⟦LOCATION|123 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพฯ 10110⟧
th	โทร⟦PHONE|๐๘๑๒๓๔๕๖๗๘⟧ได้ตลอดค่ะ
th	เลขบัตรประชาชน ⟦ID|1101700230708⟧ ของ⟦PERSON|นางสาวสมหญิง รักดี⟧
th	ราคา 1,590 บาท เลขที่สั่งซื้อ 6612150001
th	เวอร์ชัน 2.1.0 ปี 2566
vi	Tôi tên là ⟦PERSON|Nguyễn Văn An⟧, số điện thoại ⟦PHONE|0912 345 678⟧
vi	Email của tôi: ⟦EMAIL|an.nguyen@example.vn⟧
vi	Địa chỉ: ⟦LOCATION|số 12 đường Lê Lợi, phường Bến Nghé, quận 1, TP. Hồ Chí Minh⟧
vi	Ngày sinh: ⟦DATE|12/05/1990⟧, CCCD ⟦ID|001090012345⟧
vi	Chị ⟦PERSON|Trần Thị Mai⟧ sẽ liên hệ với anh qua số ⟦PHONE|+84 912 345 678⟧
vi	Giá 1.290.000đ, mã đơn hàng DH20231215
vi	Phiên bản 3.4.5 ra mắt năm 2023
id	Nama saya ⟦PERSON|Budi Santoso⟧, nomor HP ⟦PHONE|0812-3456-7890⟧
id	Email saya ⟦EMAIL|budi.santoso@example.co.id⟧, tolong dibalas ya
id	Alamat: ⟦LOCATION|Jl. Sudirman No. 5, Jakarta Pusat 10220⟧
id	Kirim ke ⟦PHONE|+62 812 3456 7890⟧ lewat WhatsApp
id	Harga Rp 150.000, nomor pesanan 230915ABCD
id	Versi 1.0.3 dirilis tahun 2022
tr	Benim adım ⟦PERSON|Mehmet Yılmaz⟧, telefonum ⟦PHONE|0532 123 45 67⟧
tr	E-posta: ⟦EMAIL|mehmet.yilmaz@example.com.tr⟧
tr	TC kimlik no: ⟦ID|12345678950⟧
tr	Adres: ⟦LOCATION|Atatürk Cad. No: 15 Kadıköy/İstanbul⟧
tr	IBAN: ⟦IBAN|TR33 0006 1005 1978 6457 8413 26⟧
tr	Doğum tarihi: ⟦DATE|12.05.1988⟧
tr	Fiyat 1.250 TL, sipariş numarası 7845123690
tr	Sürüm 4.0.2, 2023 yılında çıktı
ru	Меня зовут ⟦PERSON|Иван Петров⟧, мой телефон ⟦PHONE|+7 912 345-67-89⟧
ru	Пишите на ⟦EMAIL|ivan.petrov@example.ru⟧ или ⟦EMAIL|иван@почта.рф⟧
ru	Адрес: ⟦LOCATION|г. Москва, ул. Тверская, д. 7, кв. 15⟧
ru	Дата рождения: ⟦DATE|12.03.1985⟧
ru	С уважением,\n⟦PERSON|Анна Смирнова⟧
ru	Позвоните мне: ⟦PHONE|8 (495) 123-45-67⟧
ru	Цена 2 990 руб., номер заказа 123456789
ru	Версия 2.7.1 вышла в 2023 году
ru	Площадь России 17 125 191 км²
uk	Мене звати ⟦PERSON|Олена Коваленко⟧, телефон ⟦PHONE|+380 67 123 4567⟧
uk	Мій e-mail: ⟦EMAIL|olena.k@example.com.ua⟧
uk	IBAN: ⟦IBAN|UA90 3052 9929 9000 4149 1234 5678 9⟧
uk	Шановний ⟦PERSON|Андрій Шевченко⟧, дякуємо за замовлення
uk	Ціна 1 500 грн, номер замовлення 987654321
el	Με λένε ⟦PERSON|Γιώργος Παπαδόπουλος⟧ και το τηλέφωνό μου είναι ⟦PHONE|694 123 4567⟧
el	Email: ⟦EMAIL|g.papadopoulos@example.gr⟧
el	Διεύθυνση: ⟦LOCATION|οδός Ερμού 25, 105 63 Αθήνα⟧
el	IBAN ⟦IBAN|GR16 0110 1250 0000 0001 2300 695⟧
el	Η τιμή είναι 49,90 € και ο αριθμός παραγγελίας 556677
fa	اسم من ⟦PERSON|علی رضایی⟧ است و شماره من ⟦PHONE|۰۹۱۲۳۴۵۶۷۸۹⟧
fa	ایمیل: ⟦EMAIL|ali.rezaei@example.ir⟧
fa	آدرس: ⟦LOCATION|تهران، خیابان ولیعصر، پلاک ۱۲⟧
fa	قیمت ۲۵۰۰۰۰ تومان و شماره سفارش ۱۲۳۴۵۶
pl	Nazywam się ⟦PERSON|Jan Kowalski⟧, tel. ⟦PHONE|512 345 678⟧
pl	Mój e-mail to ⟦EMAIL|jan.kowalski@example.pl⟧
pl	PESEL: ⟦ID|90051203453⟧
pl	Adres: ⟦LOCATION|ul. Marszałkowska 10, 00-590 Warszawa⟧
pl	Numer konta: ⟦IBAN|PL61 1090 1014 0000 0712 1981 2874⟧
pl	Cena 199 zł, numer zamówienia 4455667788
pt	Meu nome é ⟦PERSON|João Silva⟧ e meu celular é ⟦PHONE|(11) 98765-4321⟧
pt	CPF: ⟦ID|529.982.247-25⟧
pt	Meu e-mail: ⟦EMAIL|joao.silva@example.com.br⟧
pt	Endereço: ⟦LOCATION|Rua Augusta, 1500, São Paulo - SP, 01310-200⟧
pt	Data de nascimento: ⟦DATE|03/07/1992⟧
pt	Atenciosamente,\n⟦PERSON|Maria Oliveira⟧
pt	O preço é R$ 1.299,90 e o pedido 123456789 já saiu
es	Me llamo ⟦PERSON|José García⟧, mi celular es ⟦PHONE|+52 55 1234 5678⟧
es	CURP: ⟦ID|GODE561231HDFRRN00⟧
es	Mi correo es ⟦EMAIL|jose.garcia@example.com.mx⟧
es	Dirección: ⟦LOCATION|Calle de Alcalá 12, 28014 Madrid⟧
es	DNI ⟦ID|12345678Z⟧ y NIE ⟦ID|X1234567L⟧
es	Fecha de nacimiento: ⟦DATE|12/05/1990⟧
es	Saludos,\n⟦PERSON|Ana Martínez⟧
es	El precio es $1,299.00 MXN y el folio 20231215001
sw	Jina langu ni ⟦PERSON|Amina Mwangi⟧, simu yangu ni ⟦PHONE|+254 712 345678⟧
sw	Barua pepe: ⟦EMAIL|amina.mwangi@example.co.ke⟧
sw	Anwani: ⟦LOCATION|Barabara ya Moi 5, Nairobi⟧
sw	Bei ni shilingi 1,500 na namba ya oda 778899
en	Contact me at ⟦EMAIL|jane.doe%40example.com⟧ or call ⟦PHONE|%2B1%20415%20555%200132⟧
en	log: user=⟦EMAIL|john.smith%40gmail.com⟧ action=login
en	The form posted email=⟦EMAIL|maria%2Egarcia%40example%2Ees⟧&lang=es
en	SSN ⟦ID|536-22-1947⟧ and ITIN ⟦ID|912-78-3456⟧ on the 1040
en	NINO ⟦ID|JG 10 37 59 A⟧, NHS number ⟦ID|943 476 5919⟧
en	Mi codice fiscale è ⟦ID|RSSMRA85T10A562S⟧
en	BSN ⟦ID|111223337⟧ en personnummer ⟦ID|19850612-1238⟧
en	Pay ⟦IBAN|FR14 2004 1010 0505 0001 3M02 606⟧ or ⟦IBAN|IT60 X054 2811 1010 0000 0123 456⟧
en	My card is ⟦CREDIT_CARD|3782 822463 10005⟧
en	Discount 50%, save 20% more with code SAVE20
en	The URL-encoded string %20 means a space and %2F a slash
en	Growth was 12.5% in 2023 and 14.2% in 2024
en	Use sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
de	Ich heiße ⟦PERSON|Lukas Müller⟧, Tel. ⟦PHONE|030 12345678⟧
de	Überweisung an ⟦IBAN|DE89 3704 0044 0532 0130 00⟧
de	Mit freundlichen Grüßen\n⟦PERSON|Katrin Schneider⟧
fr	Je m'appelle ⟦PERSON|Camille Dubois⟧, mon numéro est le ⟦PHONE|06 12 34 56 78⟧
fr	Mon adresse : ⟦LOCATION|12 rue de la Paix, 75002 Paris⟧
zh	麻烦帮我把这封邮件润色一下：⟦PERSON|王总⟧您好，我是市场部的⟦PERSON|孙丽⟧，我的分机是8021，手机⟦PHONE|15012345678⟧
zh	⟦EMAIL|li.ming2024@qq.com⟧是我的新邮箱，旧的⟦EMAIL|liming@sina.com⟧不用了
zh	公司地址在⟦LOCATION|浙江省杭州市西湖区文三路478号⟧，欢迎来访
zh	我的工资卡是⟦CREDIT_CARD|6222 0212 3456 7890 128⟧，请帮我查一下余额
zh	紧急联系人：⟦PERSON|吴芳⟧（母亲）⟦PHONE|137-0000-1234⟧
zh	给⟦PERSON|杨洋⟧打电话⟦PHONE|186-1234-5678⟧，告诉他会议改到下午三点
zh	客户⟦PERSON|郑强⟧，身份证⟦ID|11010519900307123９⟧，请核实
zh	下单后请把发票寄到⟦LOCATION|江苏省南京市鼓楼区中山路18号⟧
zh	请生成一张图片：一个女孩在樱花树下读书，尺寸768x1024，步数30
zh	这个函数的时间复杂度是O(n log n)，n最大为1000000
zh	第3章第12节，第45页到第67页
zh	张开双臂拥抱明天，李子树下王小二在放牛
zh	会议号：123 456 789，密码请看群公告
zh	2024年第一季度GDP同比增长5.3%，总额296299亿元
zh	请计算 13812345678 除以 7 的余数
zht	請幫我寫一封信給⟦PERSON|張家豪⟧先生，他的信箱是⟦EMAIL|chang.jh@example.com.tw⟧
zht	本公司統一編號 12345675，發票抬頭請寫公司全名
ja	お問い合わせは⟦EMAIL|info-yamamoto@example.co.jp⟧まで、担当⟦PERSON|山本⟧
ja	⟦PERSON|伊藤美咲⟧です。明日の会議、よろしくお願いします
ja	電話番号：⟦PHONE|０３－５５５５－１２３４⟧ 受付時間 9:00～18:00
ja	〒⟦LOCATION|100-0005 東京都千代田区丸の内1-9-1⟧ までお送りください
ja	カード番号⟦CREDIT_CARD|3566 0020 2036 0505⟧の有効期限は来月です
ja	この写真を4K（3840×2160）にアップスケールして
ja	第2四半期の売上は前年比12.3%増の4,560億円でした
ja	東京タワーの高さは333メートル、1958年完成
ko	⟦PERSON|최수진⟧ 고객님의 연락처 ⟦PHONE|010-9876-5432⟧로 안내드렸습니다
ko	배송지: ⟦LOCATION|경기도 성남시 분당구 판교역로 235⟧
ko	메일 주소⟦EMAIL|sujin.choi@naver.com⟧로 자료를 보내주세요
ko	계좌번호 ⟦ID|110-123-456789⟧ (신한은행) 예금주 ⟦PERSON|정민호⟧
ko	이 이미지의 해상도는 2560x1440이고 용량은 3.5MB입니다
ko	서울의 인구는 약 9,400,000명이다
ar	مرحبا، أنا ⟦PERSON|فاطمة الزهراء⟧ ورقمي ⟦PHONE|٠٥٥ ٩٨٧ ٦٥٤٣⟧
ar	البريد الإلكتروني:⟦EMAIL|fatima.z@example.ae⟧
ar	الرقم ٣٫١٤١٥٩ هو قيمة تقريبية لباي
ar	الصفحة ٤٥ من الكتاب، الطبعة الثالثة ٢٠١٩
he	צרו קשר עם ⟦PERSON|יוסי לוי⟧ בטלפון ⟦PHONE|+972 54 123 4567⟧
he	מספר עמוד 245, פרק 12
hi	कृपया ⟦PERSON|प्रिया वर्मा⟧ को ⟦EMAIL|priya.verma@example.com⟧ पर मेल करें
hi	मेरा मोबाइल नंबर⟦PHONE|9876543210⟧है
hi	ऑर्डर संख्या 4021-8877-1123 की स्थिति बताएं
hi	पृष्ठ 45 से 67 तक पढ़ें, अध्याय 3
th	ติดต่อคุณ⟦PERSON|สมศักดิ์ มั่นคง⟧ที่เบอร์ ⟦PHONE|+66 81 234 5678⟧
th	ส่งไปที่⟦EMAIL|contact.th@example.com⟧ได้เลยค่ะ
th	ความละเอียด 1920x1080 ราคา 25,900 บาท
vi	Liên hệ anh ⟦PERSON|Lê Minh Tuấn⟧ qua email ⟦EMAIL|tuan.le@example.com⟧
vi	Số tài khoản: ⟦ID|0123456789⟧ tại Vietcombank, chủ tài khoản ⟦PERSON|Phạm Thị Hoa⟧
vi	Dân số Việt Nam năm 2023 khoảng 100,3 triệu người
id	Halo, saya ⟦PERSON|Siti Nurhaliza⟧, bisa dihubungi di ⟦EMAIL|siti.n@example.id⟧
id	NIK ⟦ID|3174015809900003⟧ atas nama ⟦PERSON|Dewi Lestari⟧
id	Resolusi gambar 1080x1920, durasi 15 detik
tr	Merhaba, ben ⟦PERSON|Ayşe Demir⟧, numaram ⟦PHONE|+90 532 987 65 43⟧
tr	Kartım ⟦CREDIT_CARD|4111 1111 1111 1111⟧, son kullanma 08/26
tr	Nüfus 2023 yılında 85.372.377 kişiydi
ru	Контакт: ⟦PERSON|Сергей Иванов⟧, ⟦EMAIL|s.ivanov@yandex.ru⟧, ⟦PHONE|+7 (903) 123-45-67⟧
ru	ИНН ⟦ID|500100732259⟧, СНИЛС ⟦ID|112-233-445 95⟧
ru	Это ⟦PERSON|Елена Попова⟧, перезвоните мне
ru	Номер телефона⟦PHONE|+79161234567⟧, звонить после 18:00
ru	Страница 245, глава 12, параграф 3.4
uk	Адреса: ⟦LOCATION|м. Київ, вул. Хрещатик, 22⟧
uk	Пишіть на ⟦EMAIL|andriy@example.ua⟧ або телефонуйте ⟦PHONE|067 123 45 67⟧
el	Είμαι ο ⟦PERSON|Νίκος Γεωργίου⟧, κινητό ⟦PHONE|+30 694 123 4567⟧
el	Ο πληθυσμός της Αθήνας είναι 3.153.000 κάτοικοι
fa	لطفا با آقای ⟦PERSON|محمد حسینی⟧ تماس بگیرید: ⟦PHONE|+98 912 345 6789⟧
fa	نسخه ۳.۲.۱ منتشر شد
pl	Pozdrawiam,\n⟦PERSON|Katarzyna Nowak⟧\ntel. ⟦PHONE|+48 601 234 567⟧
pl	Wzrost PKB wyniósł 2,8% w 2023 roku
pt	Olá, aqui é a ⟦PERSON|Fernanda Costa⟧, meu WhatsApp é ⟦PHONE|+55 21 99876-5432⟧
pt	Meu CPF é ⟦ID|123.456.787-39⟧ e nasci em ⟦DATE|15/04/1988⟧
pt	O código do produto é 7891234567895 (EAN-13)
es	Hola, soy ⟦PERSON|Guadalupe Hernández⟧ y mi teléfono es ⟦PHONE|55 1234 5678⟧
es	CURP ⟦ID|MAHJ900215MJCRRN02⟧, RFC en trámite
es	La población de México es 126.014.024 habitantes
sw	Mimi ni ⟦PERSON|Juma Otieno⟧, nipigie ⟦PHONE|0712 345 678⟧
sw	Tarehe ya kuzaliwa: ⟦DATE|12/05/1990⟧
sw	Mwaka 2023 bei ya mahindi ilipanda kwa 15%
en	Card number ⟦CREDIT_CARD|4111%201111%201111%201111⟧ was declined
en	redirect?next=%2Fhome&ref=abc%3D%3D&page=2
en	The string 100%25 is how you escape a percent sign
en	Contact ⟦EMAIL|support&#64;example.org⟧ via the web page
de	Kontakt: ⟦EMAIL|max.mustermann%40beispiel.de⟧, Telefon ⟦PHONE|%2B49%2030%2012345678⟧
fr	Envoyez à ⟦EMAIL|claire.martin%40exemple.fr⟧ svp
it	Il mio codice fiscale è ⟦ID|BNCGLI90A41F205H⟧
sv	Mitt personnummer är ⟦ID|900314-5621⟧
nl	Mijn BSN is ⟦ID|204821563⟧ en mijn IBAN ⟦IBAN|NL91 ABNA 0417 1643 00⟧
""".strip("\n")



def main():
    write_cases(CASES)


if __name__ == "__main__":
    main()

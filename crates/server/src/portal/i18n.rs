//! The portal's languages and every text it shows, in one catalogue.
//!
//! Chinese (zh-CN) is the default; English and Russian are a switch away
//! (Hunchun faces Russia). Each text is declared once with all three
//! translations, so a missing translation is a compile error, not a blank.

use std::fmt;

/// A language of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    ZhCn,
    /// English.
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Lang; 3] = [Lang::ZhCn, Lang::En, Lang::Ru];

    /// BCP 47 tag, used in `<html lang>`, the cookie and URLs.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::En => "English",
            Lang::Ru => "Русский",
        }
    }

    /// Parses a tag; unknown tags give `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    /// The texts in this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::ZhCn => &ZH_CN,
            Lang::En => &EN,
            Lang::Ru => &RU,
        }
    }

    /// A role's name in this language.
    pub fn role(self, role: kuajing_core::role::Role) -> &'static str {
        match self {
            Lang::ZhCn => role.label_zh(),
            Lang::En => role.label_en(),
            Lang::Ru => role.label_ru(),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

macro_rules! texts {
    ($( $key:ident: $zh:literal, $en:literal, $ru:literal; )*) => {
        /// Every text of the portal in one language.
        #[derive(Debug)]
        pub struct Texts {
            $(
                #[doc = $en]
                pub $key: &'static str,
            )*
        }
        static ZH_CN: Texts = Texts { $($key: $zh),* };
        static EN: Texts = Texts { $($key: $en),* };
        static RU: Texts = Texts { $($key: $ru),* };
    };
}

texts! {
    brand: "跨境 · 单一窗口", "Kuajing · Single Window", "Куацзин · Единое окно";
    zone_name: "珲春跨境电子商务综合试验区线上综合服务平台", "Hunchun Cross-border E-commerce Comprehensive Pilot Zone — Online Service Platform", "Онлайн-платформа комплексной пилотной зоны трансграничной электронной торговли Хуньчунь";
    skip_to_content: "跳到主要内容", "Skip to main content", "Перейти к содержанию";
    language: "语言", "Language", "Язык";
    demo_banner: "演示环境：本平台当前载入的是演示数据，企业和人员均为虚构。", "Demo environment: the platform holds demo data; all enterprises and people are fictitious.", "Демонстрационная среда: на платформе загружены демонстрационные данные; все предприятия и люди вымышлены.";
    demo_badge: "演示", "Demo", "Демо";
    main_navigation: "主导航", "Main navigation", "Главное меню";
    menu: "菜单", "Menu", "Меню";
    newer: "较新", "Newer", "Новее";
    nav_inbox: "待办", "Inbox", "Входящие";
    waiting_count: "待办数：", "Waiting: ", "Ожидает: ";
    inbox_lead: "等待贵单位处理的事项，每项链接到处理它的页面。", "What waits for your organisation, each linking to the page where you deal with it.", "Что ожидает вашу организацию; каждая строка ведёт на страницу, где это делается.";
    inbox_empty: "目前没有待办事项。", "Nothing is waiting for you.", "Сейчас ничего не ожидает.";
    inbox_filings_returned: "被退回需修改的备案", "Filings sent back for changes", "Заявки, возвращённые на доработку";
    newest: "最新", "Newest", "Новейшие";
    scrollable_table: "表格（可横向滚动）", "Table (scrolls sideways)", "Таблица (прокручивается по горизонтали)";
    error_summary_title: "请更正以下问题", "Please correct the following", "Исправьте следующее";
    find_lists: "查找清单", "Find lists", "Поиск перечней";
    find_lists_hint: "清单编号、订单编号、运单编号或订购人证件号码（按证件号码查询将记入审计日志）", "List number, order number, waybill number or the buyer's ID number (a search by ID number is recorded in the audit trail)", "Номер перечня, заказа, накладной или номер документа покупателя (поиск по номеру документа записывается в журнал аудита)";
    find_button: "查找", "Find", "Найти";
    found_by_list_number: "按清单编号找到", "Found by list number", "Найдено по номеру перечня";
    found_by_order_number: "按订单编号找到", "Found by order number", "Найдено по номеру заказа";
    found_by_waybill_number: "按运单编号找到", "Found by waybill number", "Найдено по номеру накладной";
    found_by_buyer: "按订购人证件号码找到", "Found by the buyer's ID number", "Найдено по номеру документа покупателя";
    found_nothing: "没有找到清单", "No list found", "Перечни не найдены";
    chart_lists_title: "近14天清单处理结果", "Lists decided in the last 14 days", "Решения по перечням за 14 дней";
    chart_lists_description: "按中国日期统计的每日清单结果：放行、转人工、退单；下表为同一数据。", "Each China calendar day's decisions on lists: released, sent to an officer, refused; the table below holds the same numbers.", "Решения по перечням за каждый день по китайскому времени: выпуск, передача инспектору, отказ; в таблице ниже те же числа.";
    chart_released: "放行", "Released", "Выпуск";
    chart_to_officer: "转人工", "To an officer", "Инспектору";
    chart_refused: "退单", "Refused", "Отказ";
    chart_day: "日期", "Day", "День";
    your_work: "待办事项", "Your work", "Ваши задачи";
    officer_queue: "待关员处理的清单", "Lists waiting for an officer", "Перечни, ожидающие инспектора";
    open_findings: "未结的核对发现", "Open reconciliation findings", "Открытые расхождения сверки";
    chart_as_table: "图表数据", "The chart's numbers", "Данные графика";
    nav_help: "帮助", "Help", "Справка";
    help_title: "帮助与术语", "Help and glossary", "Справка и глоссарий";
    help_lead: "通关如何进行、各状态的含义，以及页面和海关报文使用的字段与代码。", "How clearance runs, what each status means, and the fields and codes the pages and the customs messages use.", "Как проходит оформление, что означает каждый статус, а также поля и коды, которые используют страницы и таможенные сообщения.";
    help_contents: "目录", "Contents", "Содержание";
    help_flow_title: "一个包裹如何通关", "How a parcel is cleared", "Как оформляется посылка";
    help_flow_order: "电商平台或电商企业申报订单。", "The e-commerce platform or enterprise declares the order.", "Платформа или компания электронной торговли подаёт заказ.";
    help_flow_payment: "支付企业申报支付单。", "The payment company declares the payment.", "Платёжная компания подаёт сведения об оплате.";
    help_flow_waybill: "物流企业申报运单。", "The logistics company declares the waybill.", "Логистическая компания подаёт накладную.";
    help_flow_list: "申报企业申报清单；平台将订单、支付单、运单与清单比对（“三单比对”），计算税款并核减个人年度额度。", "The declarer files the declaration list; the platform matches it against the order, payment and waybill (the \"three documents\"), computes the tax and draws on the buyer's annual allowance.", "Декларант подаёт перечень; платформа сверяет его с заказом, оплатой и накладной («три документа»), рассчитывает налог и списывает годовой лимит покупателя.";
    help_flow_receipts: "每一步都有回执：海关入库、人工审核、查验、放行或退单，退单附原因。", "Every step returns a receipt: accepted, manual review, inspection, released or refused, with the reason for a refusal.", "На каждом шаге приходит квитанция: принято, ручная проверка, досмотр, выпуск или отказ с причиной.";
    help_flow_codes: "国家、币制、计量单位和关区代码的完整列表见参数表。", "The full lists of country, currency, unit and customs codes are in the reference tables.", "Полные списки кодов стран, валют, единиц измерения и таможен — в справочниках.";
    help_statuses_title: "状态", "Statuses", "Статусы";
    help_fields_title: "字段术语", "Field glossary", "Глоссарий полей";
    help_fields_lead: "页面以业务名称显示字段；报文元素名供系统对接人员对照。", "Pages name each field in business terms; the message element is there for integrators.", "Страницы называют поля деловыми терминами; имя элемента сообщения приведено для интеграторов.";
    help_codes_title: "代码", "Codes", "Коды";
    help_account_title: "账户与额度", "Account and allowance", "Учётная запись и лимит";
    term: "术语", "Term", "Термин";
    chinese_term: "中文", "Chinese", "По-китайски";
    message_element: "报文元素", "Message element", "Элемент сообщения";
    field_column: "字段", "Field", "Поле";
    nav_home: "首页", "Home", "Главная";
    nav_organisations: "机构名录", "Organisations", "Организации";
    nav_tokens: "接口令牌", "API tokens", "API-токены";
    nav_audit: "审计日志", "Audit trail", "Журнал аудита";
    sign_out: "退出登录", "Sign out", "Выйти";
    signed_in_as: "当前用户", "Signed in as", "Вы вошли как";
    footer_operator: "珲春跨境电子商务综合试验区管理委员会", "Administrative Committee of the Hunchun Cross-border E-commerce Pilot Zone", "Администрация пилотной зоны трансграничной электронной торговли Хуньчунь";
    footer_promise: "一次备案、多主体共享、全流程使用", "File once, shared by every agency, used throughout", "Одна регистрация — общий доступ для всех ведомств";

    sign_in_title: "登录", "Sign in", "Вход";
    sign_in_lead: "企业、监管部门和综试区管委会的工作人员请使用本机构分配的账户登录。", "Staff of enterprises, agencies and the zone administration sign in with the account their organisation issued.", "Сотрудники предприятий, ведомств и администрации зоны входят с учётной записью своей организации.";
    login_label: "用户名", "Login", "Имя пользователя";
    password_label: "密码", "Password", "Пароль";
    sign_in_button: "登录", "Sign in", "Войти";
    sign_in_failed: "用户名或密码不正确，或账户因多次失败已被暂时锁定。", "Wrong login or password, or the account is temporarily locked after repeated failures.", "Неверное имя или пароль, либо учётная запись временно заблокирована после нескольких неудачных попыток.";
    sign_in_throttled: "登录尝试过于频繁，请稍后再试。", "Too many sign-in attempts; please wait and try again.", "Слишком много попыток входа; повторите позже.";
    sign_in_busy: "平台正忙于处理其他登录，请稍后重试。", "The platform is busy with other sign-ins; please try again in a moment.", "Платформа занята другими входами; повторите через минуту.";
    sign_in_suspended: "您所在的机构已被暂停，暂不能登录。", "Your organisation is suspended; you cannot sign in for now.", "Ваша организация приостановлена; вход временно невозможен.";
    form_expired: "表单已失效，请重新提交。", "The form has expired; please submit it again.", "Срок действия формы истёк; отправьте её ещё раз.";
    demo_sign_in_hint: "演示账户在启动命令的输出中列出。", "Demo sign-ins are listed in the output of the start command.", "Демонстрационные учётные записи выводятся командой запуска.";

    welcome: "欢迎", "Welcome", "Добро пожаловать";
    comma: "，", ", ", ", ";
    your_organisation: "本机构", "Your organisation", "Ваша организация";
    customs_code: "海关注册编码", "Customs registration code", "Таможенный регистрационный код";
    uscc: "统一社会信用代码", "Unified social credit code", "Единый код социального кредита";
    name_zh: "中文名称", "Name (Chinese)", "Название (кит.)";
    name_en: "英文名称", "Name (English)", "Название (англ.)";
    roles: "角色", "Roles", "Роли";
    status: "状态", "Status", "Статус";
    status_active: "正常", "Active", "Активна";
    status_suspended: "已暂停", "Suspended", "Приостановлена";
    park: "所在园区", "Park", "Парк";
    address: "注册地址", "Address", "Адрес";
    contact: "联系人", "Contact person", "Контактное лицо";
    contact_phone: "联系电话", "Contact phone", "Телефон";
    filed_at: "备案时间", "Filed", "Зарегистрирована";
    not_filed: "未填报", "Not filed", "Не указано";
    what_you_can_do: "您在本平台可以", "What you can do here", "Что вы можете делать здесь";
    role_duty_ebp: "电商平台：一次备案企业和商品，发送订单（CEB311/CEB303），查看通关、税款和退货。", "Platform: file the company and its goods once, send orders (CEB311/CEB303), follow clearance, tax and returns.", "Платформа: однократная регистрация компании и товаров, отправка заказов (CEB311/CEB303), контроль оформления, налогов и возвратов.";
    role_duty_ebc: "电商企业：备案商品，发送订单，跟踪每一票包裹的通关状态。", "E-commerce enterprise: file goods, send orders and follow every parcel through clearance.", "Предприятие электронной торговли: регистрация товаров, отправка заказов, отслеживание оформления каждой посылки.";
    role_duty_payment: "支付企业：发送支付单（CEB411）和出口收款单（CEB403）。", "Payment company: send payment records (CEB411) and export receipts of payment (CEB403).", "Платёжная компания: отправка платёжных данных (CEB411) и подтверждений оплаты экспорта (CEB403).";
    role_duty_logistics: "物流企业：发送运单及其状态（CEB511/513、CEB505/507/509），跟踪运输。", "Logistics: send waybills and their status (CEB511/513, CEB505/507/509) and track shipments.", "Логистика: отправка накладных и статусов (CEB511/513, CEB505/507/509), отслеживание грузов.";
    role_duty_declarer: "申报企业：发送申报清单（CEB621/CEB603）、撤销单、退货单和汇总申报。", "Declarer: send declaration lists (CEB621/CEB603), cancellations, returns and summary declarations.", "Декларант: отправка деклараций-перечней (CEB621/CEB603), отмен, возвратов и сводных деклараций.";
    role_duty_warehouse: "区内仓储企业：管理综合保税区仓库的电子账册：入区、销售、出区。", "Bonded warehouse: keep the zone warehouse's e-account book: goods in, sold, out.", "Таможенный склад: ведение электронной книги склада зоны: приход, продажа, вывоз.";
    role_duty_border_trader: "互市商户：在中俄互市贸易区内按每日免税额度进行交易。", "Border trader: trade in the China–Russia mutual trade zone within the daily duty-free allowance.", "Участник приграничной торговли: торговля в китайско-российской зоне в пределах дневной беспошлинной нормы.";
    role_duty_agency: "监管部门：查阅本部门有权查看的共享备案信息，审核风险预警，开展信用评价和统计。", "Agency: read the shared records your agency is entitled to, review risk alerts, rate credit and run statistics.", "Ведомство: доступ к общим данным в пределах полномочий, проверка сигналов риска, кредитные оценки и статистика.";
    role_duty_zone_admin: "综试区管委会：管理机构备案、园区、品牌和统计，查看审计日志。", "Zone administration: manage organisations, parks, brands and statistics; read the audit trail.", "Администрация зоны: управление организациями, парками, брендами и статистикой; журнал аудита.";
    api_access: "系统接口", "System access", "Доступ для систем";
    api_access_lead: "贵机构的业务系统可使用接口令牌（Bearer）调用 JSON 接口，接口说明见", "Your organisation's systems call the JSON API with an API token (Bearer); the API is described at", "Системы вашей организации вызывают JSON API с API-токеном (Bearer); описание API:";
    live_tokens: "有效令牌", "Live tokens", "Действующие токены";
    registry_overview: "备案机构概况", "Registry overview", "Обзор реестра";
    registry_overview_lead: "一次备案、多部门共享：以下为按角色统计的已备案机构数量。", "Filed once, shared by every agency: organisations on file by role.", "Одна регистрация для всех ведомств: организации в реестре по ролям.";
    role_column: "角色", "Role", "Роль";
    active_count: "正常", "Active", "Активных";
    suspended_count: "已暂停", "Suspended", "Приостановлено";
    recent_activity: "最近操作", "Recent activity", "Последние действия";
    view_all: "查看全部", "View all", "Смотреть все";

    organisations_title: "机构名录", "Organisations", "Организации";
    organisations_lead: "在本平台备案的企业和部门。", "Enterprises and agencies on file with the platform.", "Предприятия и ведомства, зарегистрированные на платформе.";
    filter: "筛选", "Filter", "Фильтр";
    all: "全部", "All", "Все";
    apply: "应用", "Apply", "Применить";
    name: "名称", "Name", "Название";
    no_records: "暂无记录。", "Nothing here yet.", "Записей пока нет.";
    no_matching_records: "没有符合筛选条件的记录。", "No records match the filter.", "Нет записей, подходящих под фильтр.";
    file_organisation: "备案新机构", "File an organisation", "Зарегистрировать организацию";
    file_organisation_lead: "由综试区管委会直接备案并批准机构（适用于监管部门和首批企业）。", "The zone administration files and approves an organisation directly (for agencies and first enterprises).", "Администрация зоны регистрирует и утверждает организацию напрямую (для ведомств и первых предприятий).";
    roles_hint: "可多选", "Choose one or more", "Можно выбрать несколько";
    save: "保存", "Save", "Сохранить";
    suspend: "暂停", "Suspend", "Приостановить";
    reinstate: "恢复", "Reinstate", "Восстановить";
    users: "用户", "Users", "Пользователи";
    display_name: "姓名", "Name", "Имя";
    add_user: "新增用户", "Add a user", "Добавить пользователя";
    password_rule: "至少 10 个字符", "At least 10 characters", "Не менее 10 символов";
    reason: "原因", "Reason", "Причина";
    saved: "已保存。", "Saved.", "Сохранено.";
    back: "返回", "Back", "Назад";
    personal_data_notice: "本页含个人信息，您的查看已记入审计日志。", "This page holds personal data; your reading it has been recorded in the audit trail.", "Страница содержит персональные данные; просмотр записан в журнал аудита.";

    tokens_title: "接口令牌", "API tokens", "API-токены";
    tokens_lead: "令牌供业务系统调用接口。令牌只在签发时显示一次，平台只保存其摘要；不再使用的令牌请及时吊销。", "Tokens let your systems call the API. A token is shown once when issued and only its hash is kept; revoke tokens you no longer use.", "Токены позволяют системам вызывать API. Токен показывается один раз при выдаче, хранится только его хеш; отзывайте ненужные токены.";
    token_label: "用途说明", "What it is for", "Назначение";
    issue_token: "签发令牌", "Issue a token", "Выдать токен";
    new_token_notice: "新令牌如下，请立即复制保存，离开本页后将无法再次查看：", "Here is the new token. Copy it now: it cannot be shown again.", "Новый токен. Скопируйте его сейчас: повторно он не будет показан.";
    token_prefix: "令牌前缀", "Prefix", "Префикс";
    issued_by: "签发人", "Issued by", "Выдал";
    issued_at: "签发时间", "Issued", "Выдан";
    revoked_at: "吊销时间", "Revoked", "Отозван";
    revoke: "吊销", "Revoke", "Отозвать";
    live: "有效", "Live", "Действует";
    organisation: "机构", "Organisation", "Организация";

    audit_title: "审计日志", "Audit trail", "Журнал аудита";
    audit_lead: "每一次写操作、登录和个人信息查阅均记录在案，只增不改。", "Every write, sign-in and read of personal data is recorded; entries are never changed.", "Каждое изменение, вход и просмотр персональных данных записываются; записи не изменяются.";
    time: "时间", "Time", "Время";
    actor: "操作人", "Actor", "Кто";
    action: "操作", "Action", "Действие";
    target: "对象", "Target", "Объект";
    outcome: "结果", "Outcome", "Результат";
    ip_address: "来源地址", "From", "Адрес";
    from_date: "起始日期", "From date", "С даты";
    to_date: "截止日期", "To date", "По дату";
    older: "更早的记录", "Older entries", "Более ранние";
    outcome_success: "成功", "Success", "Успешно";
    outcome_denied: "拒绝", "Denied", "Отказано";
    outcome_failed: "失败", "Failed", "Ошибка";

    nav_filings: "备案", "Filings", "Регистрация";
    nav_reference: "参数表", "Reference data", "Справочники";
    nav_webhooks: "数据订阅", "Subscriptions", "Подписки";
    filings_title: "备案查询", "Filings", "Реестр регистраций";
    filings_lead: "企业备案和商品备案：一次备案，各部门按共享策略查看各自有权查看的字段。", "Enterprise and commodity filings: filed once; each agency sees the fields the sharing policy gives it.", "Регистрация предприятий и товаров: один раз, каждое ведомство видит поля по политике обмена.";
    awaiting_my_decision: "待我审核", "Awaiting my decision", "Ожидают моего решения";
    my_enterprise_filing: "本企业备案", "Our enterprise filing", "Регистрация нашего предприятия";
    my_commodities: "本企业商品", "Our goods", "Наши товары";
    new_commodity: "新增商品备案", "File a commodity", "Зарегистрировать товар";
    edit_commodity: "变更商品备案", "Change a commodity filing", "Изменить регистрацию товара";
    kind: "类型", "Kind", "Вид";
    kind_enterprise: "企业备案", "Enterprise", "Предприятие";
    kind_commodity: "商品备案", "Commodity", "Товар";
    search: "搜索", "Search", "Поиск";
    search_hint: "名称、编码、品牌或条码", "Name, code, brand or barcode", "Название, код, марка или штрихкод";
    owner: "备案主体", "Owner", "Владелец";
    version: "版本", "Version", "Версия";
    in_force: "生效版本", "Version in force", "Действующая версия";
    approvals: "审核", "Approvals", "Согласования";
    approvals_needed: "须审核部门", "Agencies that must approve", "Должны согласовать";
    approvals_given: "已审核", "Approved by", "Согласовали";
    status_draft: "草稿", "Draft", "Черновик";
    status_submitted: "已提交", "Submitted", "Подана";
    status_returned: "已退回", "Returned", "Возвращена";
    status_revoked: "已撤销", "Revoked", "Отозвана";
    step_submit: "提交审核", "Submit for approval", "Отправить на согласование";
    step_approve: "审核通过", "Approve", "Согласовать";
    step_return: "退回", "Return", "Вернуть";
    step_suspend: "暂停", "Suspend", "Приостановить";
    step_reinstate: "恢复", "Reinstate", "Восстановить";
    step_revoke: "撤销", "Revoke", "Отозвать";
    edit: "修改", "Edit", "Изменить";
    history: "历史版本", "History", "История";
    events: "办理记录", "Workflow", "Ход рассмотрения";
    changes: "变更内容", "Changes", "Изменения";
    before_value: "变更前", "Before", "Было";
    after_value: "变更后", "After", "Стало";
    no_changes: "无变更", "No changes", "Без изменений";
    attachments: "附件", "Attachments", "Вложения";
    upload: "上传", "Upload", "Загрузить";
    file: "文件", "File", "Файл";
    purpose: "用途", "Purpose", "Назначение";
    purpose_business_licence: "营业执照", "Business licence", "Лицензия";
    purpose_other: "其他材料", "Other document", "Другой документ";
    purpose_photo: "商品图片", "Photo", "Фото";
    upload_hint: "营业执照等材料：PDF、JPEG 或 PNG，最大 5 MB；商品图片：JPEG、PNG 或 WebP，最大 2 MB。", "Licences and documents: PDF, JPEG or PNG up to 5 MB; photos: JPEG, PNG or WebP up to 2 MB.", "Документы: PDF, JPEG или PNG до 5 МБ; фото: JPEG, PNG или WebP до 2 МБ.";
    download: "下载", "Download", "Скачать";
    field_uscc: "统一社会信用代码", "Unified social credit code", "Единый код социального кредита";
    field_foreign: "境外企业", "Foreign seller", "Иностранный продавец";
    field_registered_address: "注册地址", "Registered address", "Юридический адрес";
    field_business_address: "经营地址", "Business address", "Фактический адрес";
    field_legal_representative: "法定代表人", "Legal representative", "Законный представитель";
    field_email: "电子邮箱", "E-mail", "Эл. почта";
    field_domestic_agent: "境内代理人（海关注册编码）", "Domestic agent (customs code)", "Агент в Китае (таможенный код)";
    field_item_no: "企业商品货号", "Item number", "Артикул";
    field_name: "商品名称", "Name", "Наименование";
    field_specification: "规格型号", "Specification", "Характеристики";
    field_brand: "品牌", "Brand", "Марка";
    field_hs_code: "商品编码", "Commodity code (HS)", "Код ТН ВЭД";
    field_origin_country: "原产国（地区）代码", "Origin country code", "Код страны происхождения";
    field_declared_elements: "申报要素", "Declared elements", "Декларируемые сведения";
    field_unit1: "法定第一计量单位", "Legal first unit", "Первая единица";
    field_unit2: "法定第二计量单位", "Legal second unit", "Вторая единица";
    field_reference_price: "参考单价", "Reference price", "Справочная цена";
    field_currency: "币制代码", "Currency code", "Код валюты";
    field_barcode: "商品条码", "Barcode (GTIN)", "Штрихкод (GTIN)";
    field_photo: "商品图片", "Photo", "Фото";
    field_regional_brand: "珲字号区域品牌", "Hunchun regional brand (Hunzihao)", "Региональный бренд Хуньчуня («Хуньцзыхао»)";
    yes: "是", "Yes", "Да";
    no: "否", "No", "Нет";
    hidden_by_policy: "按共享策略，以下字段对您的部门可见。", "By the sharing policy, your agency sees the fields below.", "По политике обмена вашему ведомству видны поля ниже.";
    enterprise_form_lead: "填写后保存为草稿，确认无误再提交审核；审核通过前，已生效的备案信息继续有效。", "Save as a draft, then submit for approval; until approved, the filing in force stays in force.", "Сохраните черновик и отправьте на согласование; до согласования действует прежняя регистрация.";
    commodity_form_lead: "商品编码须在现行税则中，法定计量单位须与税则一致。", "The commodity code must be in the tariff in force, with its legal units.", "Код должен быть в действующем тарифе, с его единицами измерения.";
    save_draft: "保存草稿", "Save draft", "Сохранить черновик";
    no_filing_yet: "本企业尚无备案。", "Your enterprise has no filing yet.", "У предприятия ещё нет регистрации.";
    reference_title: "参数表", "Reference data", "Справочники";
    reference_lead: "税则和海关代码表按版本管理，每行注明来源；导入只新增或更新文件中的行，任一行有误则全部不导入。", "The tariff and customs code lists are versioned, each row with its source; an import adds or updates the rows in its file, and nothing if any row is wrong.", "Тариф и справочники ведутся по версиям с источником каждой строки; импорт добавляет или обновляет строки файла и ничего не меняет при ошибке.";
    tariff: "税则", "Tariff", "Тариф";
    code_lists: "代码表", "Code lists", "Справочники кодов";
    versions: "版本", "Versions", "Версии";
    import_table: "导入参数表", "Import a table", "Импорт таблицы";
    table_kind: "参数表", "Table", "Таблица";
    effective_from: "生效日期", "In force from", "Действует с";
    imported_by: "导入人", "Imported by", "Импортировал";
    rows_added: "新增", "Added", "Добавлено";
    rows_updated: "更新", "Updated", "Обновлено";
    rows_unchanged: "未变", "Unchanged", "Без изменений";
    line: "行", "Line", "Строка";
    value: "值", "Value", "Значение";
    rule: "规则", "Rule", "Правило";
    source: "来源", "Source", "Источник";
    legal_source: "法定依据：", "Legal source:", "Правовой источник:";
    cny_per: "元/", "CNY per ", "юаней за ";
    research_note: "数据核对记录", "Research note", "Заметка о проверке данных";
    show: "查看", "Show", "Показать";
    vat_rate: "增值税率", "VAT", "НДС";
    consumption_tax: "消费税", "Consumption tax", "Акциз";
    mfn_duty_rate: "最惠国税率", "MFN duty", "Пошлина РНБ";
    positive_list: "正面清单", "Positive list", "Положительный список";
    unknown: "未核实", "Not verified", "Не проверено";
    code: "代码", "Code", "Код";
    webhooks_title: "数据订阅", "Subscriptions", "Подписки";
    webhooks_lead: "订阅后，本机构有权查看的备案变更将实时推送到您的系统（签名、失败重试、可重发），也可通过 /api/feed 按游标拉取。", "Once subscribed, every change to the records your organisation may see is pushed to your system (signed, retried, replayable); or pull /api/feed with a cursor.", "После подписки изменения доступных вам записей отправляются в вашу систему (с подписью, повторами и переотправкой); или читайте /api/feed по курсору.";
    subscribe: "订阅", "Subscribe", "Подписаться";
    url: "推送地址", "URL", "Адрес";
    topics: "主题", "Topics", "Темы";
    new_secret_notice: "签名密钥如下，请立即保存，之后将无法再次查看：", "Here is the signing secret. Save it now: it cannot be shown again.", "Ключ подписи. Сохраните его сейчас: повторно он не будет показан.";
    pause: "暂停推送", "Pause", "Приостановить";
    resume: "恢复推送", "Resume", "Возобновить";
    deliveries: "推送记录", "Deliveries", "Доставки";
    attempts: "尝试次数", "Attempts", "Попытки";
    replay: "重发", "Replay", "Повторить";
    event: "事件", "Event", "Событие";
    active_label: "推送中", "Active", "Активна";
    paused_label: "已暂停", "Paused", "Приостановлена";
    export_csv: "导出 CSV", "Export CSV", "Экспорт CSV";
    export_xlsx: "导出 Excel", "Export Excel", "Экспорт Excel";
    bulk_title: "批量商品备案", "Bulk commodity filing", "Пакетная регистрация товаров";
    bulk_lead: "上传 CSV 或 Excel（XLSX）文件，每行一个商品，表头为：", "Upload a CSV or Excel (XLSX) file with one commodity per row and this header:", "Загрузите CSV или Excel (XLSX), по товару в строке, с заголовком:";
    bulk_submit: "保存后直接提交审核", "Submit each filed row for approval", "Сразу отправить на согласование";
    bulk_progress: "处理进度", "Progress", "Ход обработки";
    bulk_running: "正在处理，本页每两秒刷新一次。", "Processing; this page refreshes every two seconds.", "Идёт обработка; страница обновляется каждые две секунды.";
    bulk_done: "处理完毕。", "Done.", "Готово.";
    bulk_failed: "处理中断，请重新上传（已处理的行不会重复）。", "Interrupted; upload the file again (rows already filed are not duplicated).", "Прервано; загрузите файл снова (обработанные строки не дублируются).";
    succeeded: "成功", "Filed", "Успешно";
    refused: "未通过", "Refused", "Отклонено";
    item: "货号", "Item", "Артикул";
    error_title: "出错了", "Something went wrong", "Произошла ошибка";
    not_found_title: "页面不存在", "Page not found", "Страница не найдена";
    forbidden_title: "无权访问", "Access denied", "Доступ запрещён";
    go_home: "返回首页", "Go to the home page", "На главную";

    nav_clearance: "通关", "Clearance", "Оформление";
    unsigned_badge: "沙箱", "Sandbox", "Песочница";
    unsigned_banner: "沙箱模式：本平台接受未经验签的申报清单、撤销和退货报文（--allow-unsigned-messages），不得用于生产。", "Sandbox: declaration lists, cancellations and returns are accepted without a verified signature (--allow-unsigned-messages). Never for production.", "Песочница: списки, отмены и возвраты принимаются без проверки подписи (--allow-unsigned-messages). Не для эксплуатации.";
    clearance_title: "跨境电商零售进口通关", "Retail import clearance", "Таможенное оформление розничного импорта";
    clearance_lead_enterprise: "本企业发送的订单、支付单、运单和清单及其当前状态。全部回执也可通过接口 GET /api/ceb/receipts 按序获取。", "The orders, payments, waybills and lists your enterprise sent, and where each stands. Every receipt is also delivered in order by GET /api/ceb/receipts.", "Заказы, платежи, накладные и списки вашего предприятия и их статусы. Все квитанции также доступны по порядку через GET /api/ceb/receipts.";
    clearance_lead_officer: "规则转人工审核以及正在查验或扣留的清单。每项决定须写明理由，并记入审计日志。", "Lists the rules sent to manual review, and those under inspection or detention. Every decision needs a written reason and is audited.", "Списки, направленные правилами на ручную проверку, а также находящиеся на досмотре или задержанные. Каждое решение требует письменного обоснования и записывается в журнал.";
    review_queue: "待处理清单", "Review queue", "Очередь на проверку";
    my_documents: "本企业单证", "Our documents", "Наши документы";
    live_board: "实时看板", "Live board", "Оперативная панель";
    document_kind: "单证", "Document", "Документ";
    business_key: "业务编号", "Key", "Ключ";
    updated_at: "更新时间", "Updated", "Обновлено";
    kind_order: "订单", "Order", "Заказ";
    kind_payment: "支付单", "Payment", "Платёж";
    kind_waybill: "运单", "Waybill", "Накладная";
    kind_list: "清单", "List", "Список";
    nav_exports: "出口", "Exports", "Экспорт";
    exports_title: "跨境电商出口", "Cross-border e-commerce exports", "Трансграничный экспорт";
    exports_lead: "本企业申报的出口清单：9610 零售出口、9710 B2B 直接出口、9810 出口海外仓。清单核放后，运抵单与离境单均列明其运单时即为已离境（结关）。", "The export lists your enterprise declared: 9610 retail export, 9710 B2B direct export, 9810 export to an overseas warehouse. A released list has exited (cleared) once an arrival and a departure both name its waybill.", "Экспортные списки вашего предприятия: 9610 розничный экспорт, 9710 прямой экспорт B2B, 9810 экспорт на зарубежный склад. Выпущенный список считается вывезенным, когда его накладную назвали и уведомление о прибытии, и уведомление об убытии.";
    exports_lead_officer: "各企业的出口清单及其运抵、离境情况。", "Every enterprise's export lists and how their goods went out.", "Экспортные списки всех предприятий и вывоз их товаров.";
    exports_lists: "出口清单", "Export lists", "Экспортные списки";
    exports_manifests: "运抵单、离境单与清单总分单", "Arrivals, departures and master/sub-waybill lists", "Прибытие, убытие и сводные накладные";
    export_mode: "监管方式", "Mode", "Режим";
    export_mode_retail: "零售出口", "Retail export", "Розничный экспорт";
    export_mode_b2b: "B2B 直接出口", "B2B direct export", "Прямой экспорт B2B";
    export_mode_overseas: "出口海外仓", "Export to an overseas warehouse", "Экспорт на зарубежный склад";
    export_mode_other: "其他", "Other", "Другое";
    export_statistics_only: "汇总统计", "statistics only", "только статистика";
    export_invt_no: "清单编号", "List number", "Номер списка";
    export_order_no: "订单编号", "Order number", "Номер заказа";
    export_country: "运抵国", "Country of arrival", "Страна прибытия";
    export_value: "货值", "Value", "Стоимость";
    export_released_at: "放行时间", "Released", "Выпущен";
    export_way_out: "运抵/离境", "Way out", "Вывоз";
    export_not_arrived: "未运抵", "not arrived", "не прибыл";
    export_arrived: "已运抵", "arrived at the site", "прибыл на площадку";
    export_departed: "已离境", "departed", "убыл";
    export_departed_not_arrived: "已离境、未见运抵单", "departed, no arrival seen", "убыл, прибытие не заявлено";
    export_released: "已放行", "Released", "Выпущен";
    export_exited: "已离境", "Exited", "Вывезен";
    export_released_or_exited: "已放行或已离境", "Released or exited", "Выпущен или вывезен";
    export_waiting: "待单证", "Awaiting documents", "Ожидает документов";
    export_refused: "退单", "Refused", "Отказано";
    export_cancelled: "已撤销", "Cancelled", "Отменён";
    export_manifest_arrival: "运抵单", "Arrival", "Прибытие";
    export_manifest_departure: "离境单", "Departure", "Убытие";
    export_manifest_bill: "清单总分单", "Master/sub-waybill list", "Сводная накладная";
    export_cop_no: "企业编号 · 预录入号", "Own number · pre-entry number", "Номер предприятия · предв. номер";
    export_bill_no: "提运单号", "Bill of lading", "Коносамент";
    export_waybills: "运单数", "Waybills", "Накладные";
    export_leave_time: "离境时间", "Left", "Убыл";
    kind_export_order: "出口订单", "Export order", "Экспортный заказ";
    kind_collection: "收款单", "Receipt of payment", "Поступление оплаты";
    kind_export_waybill: "出口运单", "Export waybill", "Экспортная накладная";
    kind_export_list: "出口清单", "Export list", "Экспортный список";
    open_list: "查看", "Open", "Открыть";
    reasons: "理由", "Reasons", "Основания";
    explanation: "说明", "Explanation", "Пояснение";
    buyer: "订购人", "Buyer", "Покупатель";
    board_title: "通关实时看板", "Live clearance board", "Оперативная панель оформления";
    board_lead: "各类单证按状态的数量，以及最近15分钟每分钟的决定数（页面每15秒刷新）。", "Documents of each kind by status, and decisions per minute over the last 15 minutes (the page refreshes every 15 s).", "Документы по видам и статусам и решения в минуту за последние 15 минут (страница обновляется каждые 15 с).";
    per_minute: "每分钟决定数", "Decisions per minute", "Решений в минуту";
    minute: "分钟", "Minute", "Минута";
    count: "数量", "Count", "Количество";
    list_title: "申报清单", "Declaration list", "Декларационный список";
    side_by_side: "四单对照", "The four documents side by side", "Четыре документа рядом";
    goods_lines: "商品", "Goods", "Товары";
    decisions: "决定记录", "Decisions", "Решения";
    receipt_history: "回执记录", "Receipt history", "История квитанций";
    decided_by: "决定人", "Decided by", "Кем принято";
    rule_set: "规则集", "Rule set", "Набор правил";
    tariff_version: "税则版本", "Tariff version", "Версия тарифа";
    risk_hits: "风险规则命中", "Risk rules that fired", "Сработавшие правила риска";
    tax_bill: "税款", "Tax", "Налоги";
    decide: "作出决定", "Decide", "Принять решение";
    action_release: "放行", "Release", "Выпустить";
    action_inspect: "查验", "Order an inspection", "Назначить досмотр";
    action_detain_clearance: "扣留移送通关", "Detain: to clearance", "Задержать: в оформление";
    action_detain_smuggling: "扣留移送缉私", "Detain: to anti-smuggling", "Задержать: в антиконтрабанду";
    action_detain_legal: "扣留移送法规", "Detain: to the legal department", "Задержать: в правовой отдел";
    action_detain_other: "其它扣留", "Detain: other", "Задержать: иное";
    action_refuse: "退单", "Refuse", "Отказать";
    written_reason: "书面理由", "Written reason", "Письменное обоснование";
    receipt_type: "回执", "Receipt", "Квитанция";
    receipt_status: "回执状态", "Receipt status", "Статус квитанции";
    not_in_yet: "尚未收到", "Not in yet", "Ещё не поступил";
    quota_title: "个人年度交易额度查询", "Your annual cross-border quota", "Годовой лимит покупателя";
    confirm_now: "确认", "Confirm", "Подтвердить";
    watch_added_by: "列入人", "Added by", "Кем добавлен";
    watch_list_removed: "已移出布控名单：", "Taken off the watch list:", "Снят с контроля:";
    watch_list_remove: "移出布控名单", "Take off the watch list", "Снять с контроля";
    watch_list_remove_hint: "名单中的证件号码已隐去部分内容：请输入完整的证件号码并写明理由。移出记入审计日志。", "The list shows ID numbers masked: type the full number and a written reason. The removal goes into the audit trail.", "В списке номера скрыты частично: введите полный номер и письменную причину. Снятие записывается в журнал аудита.";
    watch_list_change_hint: "再次加入同一证件号码即更新其理由。", "Adding the same ID number again updates its reason.", "Повторное добавление того же номера обновляет причину.";
    forgotten_password: "忘记密码？请联系综试区管理部门为您重置（无需电子邮件）。", "Forgotten your password? The zone administration resets it for you (no e-mail needed).", "Забыли пароль? Администрация зоны сбросит его для вас (без электронной почты).";
    reset_password: "重置密码", "Reset password", "Сбросить пароль";
    new_password: "新密码（至少 10 个字符）", "New password (at least 10 characters)", "Новый пароль (не менее 10 символов)";
    reset_password_confirm: "重置后，该用户须使用新密码登录，其所有会话立即结束。请通过安全渠道将新密码告知本人。", "Once reset, the user must sign in with the new password and every session they had ends. Hand the new password over through a safe channel.", "После сброса пользователь входит с новым паролем, все его сеансы завершаются. Передайте новый пароль по надёжному каналу.";
    token_revoke_confirm: "撤销后，使用此令牌的系统将立即不能再访问平台。此操作不可恢复，如需继续访问须另发新令牌。", "Once revoked, any system using this token is refused at once. This cannot be undone; issue a new token if access is still needed.", "После отзыва любая система с этим токеном сразу теряет доступ. Действие необратимо; при необходимости выпустите новый токен.";
    suspend_confirm: "暂停后，该机构的用户和令牌将不能再办理业务，直至恢复。暂停及其原因记入审计日志。", "Once suspended, the organisation's users and tokens can do no business until it is reinstated. The suspension and its reason go into the audit trail.", "После приостановки пользователи и токены организации не смогут работать до её восстановления. Приостановка и её причина записываются в журнал аудита.";
    decide_confirm: "决定一经作出即向申报企业发送回执，不能撤回。", "Once taken, the decision is sent to the declarer as a receipt and cannot be withdrawn.", "Принятое решение сразу отправляется декларанту квитанцией и не может быть отозвано.";
    filing_step_confirm: "此操作将改变备案状态并通知相关企业和部门，记入审计日志。", "This changes the filing's status, tells the enterprise and the agencies concerned, and goes into the audit trail.", "Это изменит статус регистрации, уведомит предприятие и ведомства и будет записано в журнал аудита.";
    gate_pass_confirm: "记录车辆已过卡口后，核放单即告完成，不能撤回。", "Once the vehicle is recorded through the gate, the release list is complete and cannot be reopened.", "После записи проезда транспорта через КПП лист выпуска завершён и не может быть открыт снова.";
    board_refresh_now: "立即刷新", "Refresh now", "Обновить";
    board_auto_start: "每 15 秒自动刷新", "Refresh every 15 seconds", "Обновлять каждые 15 секунд";
    board_auto_on: "本页每 15 秒自动刷新。", "This page refreshes every 15 seconds.", "Страница обновляется каждые 15 секунд.";
    board_auto_stop: "停止自动刷新", "Stop refreshing", "Остановить обновление";
    quota_from_sign_in: "消费者无需登录即可查询：", "Buyers need no account to look up:", "Покупателям не нужна учётная запись, чтобы узнать:";
    quota_lead: "输入订购人身份证号码和姓名，查询本年度跨境电商零售进口已用和剩余额度。号码和姓名须与本平台清单上的记录一致。", "Enter the buyer's ID number and name to see what is used and what remains of this year's cross-border retail import quota. Both must match the platform's declaration lists.", "Введите номер удостоверения и имя покупателя, чтобы узнать использованную и оставшуюся часть годового лимита. Оба должны совпадать с данными списков платформы.";
    id_number: "身份证号码", "ID number", "Номер удостоверения личности";
    person_name: "姓名", "Name", "Имя";
    look_up: "查询", "Look up", "Найти";
    quota_year: "年度", "Year", "Год";
    quota_used: "已用", "Used", "Использовано";
    quota_remaining: "剩余", "Remaining", "Остаток";
    quota_limit: "年度限值", "Annual limit", "Годовой лимит";
    watch_list: "布控名单", "Watch list", "Список наблюдения";
    watch_list_add: "加入布控", "Add to the watch list", "Добавить в список";
    watch_list_added: "已加入布控名单：", "Added to the watch list:", "Добавлен в список наблюдения:";
    quota_not_found: "未找到与该身份证号码和姓名一致的清单记录。", "No declaration list matches this ID number and name.", "Нет списков с таким номером и именем.";
    nav_bonded: "保税账册", "Bonded books", "Таможенные книги";
    bonded_title: "网购保税电子账册", "Bonded e-account books", "Электронные книги таможенного склада";
    bonded_lead: "区内仓储企业的电子账册：每个料号的库存、1210 清单占用和可用数量，以及只增不改的出入库流水。海关可查看全部账册。", "The zone warehouses' e-account books: each item's stock, what 1210 lists hold and what is available, and the append-only ledger of movements. Customs sees every book.", "Электронные книги складов зоны: остаток каждой позиции, резерв списков 1210 и доступное количество, а также неизменяемый журнал движений. Таможня видит все книги.";
    ems_no: "账册编号", "Book number", "Номер книги";
    bonded_book_name: "账册名称", "Book name", "Название книги";
    zone_code: "关区代码", "Zone customs code", "Код таможни зоны";
    item_no: "料号", "Item number", "Номер позиции";
    hs_code: "商品编码", "HS code", "Код ТН ВЭД";
    goods_name: "商品名称", "Goods", "Товар";
    unit: "计量单位", "Unit", "Единица";
    bonded_stock: "库存", "Stock", "Остаток";
    bonded_held: "清单占用", "Held by lists", "Резерв списков";
    bonded_available: "可用", "Available", "Доступно";
    bonded_ledger: "出入库流水", "Ledger", "Журнал движений";
    bonded_all_items: "全部料号", "All items", "Все позиции";
    bonded_record: "登记出入库", "Record a movement", "Записать движение";
    bonded_kind: "类型", "Kind", "Вид";
    bonded_quantity: "数量", "Quantity", "Количество";
    bonded_reference: "单证编号", "Document", "Документ";
    bonded_approver: "批准人", "Approved by", "Утвердил";
    bonded_recorded_by: "登记人", "Recorded by", "Записал";
    bonded_recorded: "已登记：", "Recorded:", "Записано:";
    kind_first_line_in: "一线入区", "First-line entry", "Ввоз в зону";
    kind_goods_out: "货物出区（一般贸易、调拨、退运）", "Goods out (general trade, transfer, re-export)", "Вывоз товаров (общая торговля, перемещение, реэкспорт)";
    kind_return_in: "退货入区", "Customer return", "Возврат покупателя";
    kind_adjustment: "调整（销毁、盘点差异）", "Adjustment (destruction, stock-take)", "Корректировка (уничтожение, инвентаризация)";
    kind_retail_out: "零售出区（1210 清单放行）", "Retail out (1210 list released)", "Розничный вывоз (выпуск списка 1210)";
    bonded_quarantined: "待检", "Awaiting inspection", "Ожидает досмотра";
    bonded_purpose: "用途", "Purpose", "Назначение";
    purpose_entry: "一线入区", "Entry from abroad", "Ввоз из-за границы";
    purpose_transfer_in: "调拨入区", "Transfer in", "Перемещение (приход)";
    purpose_general_trade: "一般贸易出区", "General trade", "Общая торговля";
    purpose_transfer_out: "调拨出区", "Transfer out", "Перемещение (расход)";
    purpose_re_export: "退运出境", "Re-export", "Реэкспорт";
    bonded_any_kind: "全部类型", "All kinds", "Все виды";
    bonded_filter: "筛选", "Filter", "Фильтр";
    bonded_export: "导出库存", "Export stock", "Экспорт остатков";
    bonded_holds: "清单占用明细", "Lists holding stock", "Списки в резерве";
    bonded_list_key: "清单", "List", "Список";
    bonded_inspect: "退货查验", "Inspect returned goods", "Досмотр возвращённых товаров";
    bonded_decision: "查验结论", "Decision", "Решение";
    decision_sellable: "可再次销售", "Sellable", "Пригоден к продаже";
    decision_unsellable: "不可销售（销毁或退运，须批准人）", "Unsellable (destroyed or returned abroad; needs an approver)", "Непригоден (уничтожение или возврат; нужен утвердивший)";
    decision_held: "退货待检", "Returned, held", "Возврат, на досмотре";
    bonded_quarantine_log: "待检台账", "Quarantine ledger", "Журнал досмотра";
    bonded_exit: "出区核注与核放", "Exit verification and gate release", "Сверка вывоза и пропуск";
    bonded_business_day: "业务日期", "Business day", "Рабочий день";
    bonded_generate: "生成核注清单", "Generate the verification list", "Сформировать сверочный список";
    bonded_verification: "核注清单", "Verification list", "Сверочный список";
    bonded_lists: "清单数", "Lists", "Списков";
    bonded_lines: "表体", "Lines", "Строки";
    bonded_gate_release: "核放单", "Gate release list", "Пропуск";
    bonded_vehicle: "车牌号", "Vehicle", "Транспорт";
    bonded_file_gate: "申请核放", "File the gate release", "Оформить пропуск";
    bonded_pass_gate: "确认过卡", "Record gate passage", "Отметить проезд";
    bonded_passed: "已过卡", "Passed the gate", "Проехал";
    bonded_reconcile: "对碰与月报", "Reconciliation and monthly report", "Сверка и месячный отчёт";
    bonded_reconcile_day: "按日对碰：放行清单与核注清单", "Daily check: released lists against verification lists", "Ежедневная сверка: выпущенные и сверочные списки";
    bonded_run: "执行", "Run", "Выполнить";
    bonded_count_upload: "月度盘点（CSV 或 XLSX，表头 item_no,quantity）", "Monthly stock count (CSV or XLSX, header item_no,quantity)", "Месячная инвентаризация (CSV или XLSX, заголовок item_no,quantity)";
    bonded_month: "月份", "Month", "Месяц";
    bonded_file: "文件", "File", "Файл";
    bonded_upload: "上传", "Upload", "Загрузить";
    bonded_report: "月报（入区、出区、调拨、库存）", "Monthly report (in, out, transfers, stock)", "Месячный отчёт (приход, расход, перемещения, остатки)";
    bonded_report_send: "报送海关", "Send to customs", "Отправить в таможню";
    bonded_done: "已完成：", "Done:", "Выполнено:";
    bonded_findings: "对碰差异", "Reconciliation findings", "Расхождения сверки";
    bonded_findings_lead: "账册与放行清单、核注清单及盘点之间的每一处差异及其原因，由关员书面结案。", "Every difference between a book and its released lists, verification lists and stock counts, with its reason, for officers to close in writing.", "Каждое расхождение книги с выпущенными и сверочными списками и инвентаризацией, с причиной; инспектор закрывает его письменно.";
    finding_source: "来源", "Check", "Проверка";
    finding_source_daily: "每日核对（放行清单与核放单）", "Daily check (released lists against gate verification)", "Ежедневная сверка (выпущенные перечни и пропуска)";
    finding_source_monthly: "月度盘点", "Monthly stock count", "Ежемесячная инвентаризация";
    finding_period: "期间", "Period", "Период";
    finding_expected: "账面", "Book", "По книге";
    finding_found: "实际", "Found", "Фактически";
    finding_difference: "差异", "Difference", "Разница";
    finding_note: "处理意见", "Officer's note", "Заключение инспектора";
    finding_close: "结案", "Close", "Закрыть";
    reason_short: "短少：货物可能无单出区", "Short: goods may have left without a list", "Недостача: товар мог выйти без списка";
    reason_long: "溢余：可能未申报入区", "Long: possibly an undeclared entry", "Излишек: возможно, незаявленный ввоз";
    reason_unverified: "放行未核注", "Released, not verified", "Выпущено без сверки";
    reason_over_verified: "核注多于放行", "Verified more than released", "Сверено больше выпущенного";
    state_open: "待处理", "Open", "Открыто";
    state_closed: "已结案", "Closed", "Закрыто";
    nav_repair: "维修台", "Repair desk", "Ремонт";
    repair_title: "保税维修台", "Bonded repair desk", "Стол таможенного ремонта";
    repair_lead: "区内企业对境外和境内货物的保税维修（海关总署公告2015年第59号）：境外货物修后复运出境，境内货物修后复运回境内。维修账册记录待维修、已维修、不能维修的货物和所用料件，坏件和边角料作为境内固体废物出区的也一并登记。海关可查看全部账册。", "Bonded repair of goods from abroad and from the domestic market by zone enterprises (GACC 2015 No. 59): goods from abroad are re-exported after repair, domestic goods are returned. The repair book records goods awaiting repair, repaired and unrepairable, the repair materials used, and bad parts and scrap leaving as domestic solid waste. Customs sees every book.", "Таможенный ремонт товаров из-за рубежа и с внутреннего рынка предприятиями зоны (ГТУ КНР 2015 № 59): иностранные товары после ремонта реэкспортируются, внутренние возвращаются. Книга ремонта учитывает товары в ожидании ремонта, отремонтированные и неремонтопригодные, использованные материалы, а также бракованные детали и отходы, вывезенные как внутренние твёрдые отходы. Таможня видит все книги.";
    repair_book: "维修账册", "Repair book", "Книга ремонта";
    repair_orders: "维修单", "Repair orders", "Заказы на ремонт";
    repair_order_no: "维修单号", "Repair order", "Заказ на ремонт";
    repair_orders_count: "维修单数", "Orders", "Заказов";
    repair_origin: "货物来源", "Origin", "Происхождение";
    repair_origin_abroad: "境外（修后复运出境）", "Abroad (re-exported after repair)", "Из-за рубежа (реэкспорт после ремонта)";
    repair_origin_domestic: "境内（修后复运回境内）", "Domestic (returned after repair)", "Внутренний рынок (возврат после ремонта)";
    repair_customer: "委托方", "Customer", "Заказчик";
    repair_currency: "币制", "Currency", "Валюта";
    repair_declared_value: "申报价值", "Declared value", "Заявленная стоимость";
    repair_received_on: "收货日期", "Received on", "Дата приёма";
    repair_entry_reference: "入区单证编号", "Entry document", "Документ ввоза";
    repair_received: "收货数量", "Received", "Принято";
    repair_awaiting: "待维修", "Awaiting repair", "Ожидает ремонта";
    repair_repaired: "已维修", "Repaired", "Отремонтировано";
    repair_unrepairable: "不能维修", "Unrepairable", "Не подлежит ремонту";
    repair_shipped: "已出区", "Shipped", "Вывезено";
    repair_closed: "已全部出区", "All shipped", "Всё вывезено";
    repair_balances: "账实相符", "Balances", "Баланс";
    repair_balanced: "相符", "Balanced", "Сходится";
    repair_unbalanced: "不符", "Does not balance", "Не сходится";
    repair_ledger_agrees: "账册各项数量与维修流水一致。", "Every count of the book agrees with its repair ledger.", "Все количества книги совпадают с журналом ремонта.";
    repair_ledger_differs: "以下维修单的数量与流水不一致，请核查：", "These orders' counts differ from their ledger; please check:", "Количества этих заказов расходятся с журналом; проверьте:";
    repair_open: "登记待维修货物", "Receive goods for repair", "Принять товар в ремонт";
    repair_record_step: "登记维修进度", "Record a step", "Записать этап";
    repair_note: "说明", "Note", "Примечание";
    repair_kind_received: "收货入区", "Received", "Принято";
    repair_kind_repaired: "维修完成", "Repaired", "Отремонтировано";
    repair_kind_unrepairable: "不能维修", "Found unrepairable", "Признано неремонтопригодным";
    repair_kind_shipped_repaired: "修好出区（复运出境或复运回境内）", "Repaired, shipped (re-exported or returned)", "Отремонтированное вывезено (реэкспорт или возврат)";
    repair_kind_shipped_unrepairable: "不能维修出区（复运出境或复运回境内）", "Unrepairable, shipped (re-exported or returned)", "Неремонтопригодное вывезено (реэкспорт или возврат)";
    repair_materials: "维修料件", "Repair materials", "Ремонтные материалы";
    repair_material_name: "料件名称", "Material", "Материал";
    repair_record_material: "登记料件耗用", "Record materials used", "Записать расход материалов";
    repair_scrap: "坏件及边角料（境内固体废物）", "Bad parts and scrap (domestic solid waste)", "Бракованные детали и отходы (внутренние твёрдые отходы)";
    repair_scrap_rule: "境内维修货物的坏件、边角料可作为境内固体废物出区（商务部 生态环境部 海关总署公告2020年第16号及海关总署后续修改）；境外货物的不在此列。", "Bad parts and scrap of domestic repair goods may leave as domestic solid waste (MOFCOM / MEE / GACC 2020 No. 16 and the later GACC amendment); those of goods from abroad may not.", "Бракованные детали и отходы товаров с внутреннего рынка могут вывозиться как внутренние твёрдые отходы (МОФКОМ / МЭЭ / ГТУ 2020 № 16 и последующая поправка ГТУ); для иностранных товаров это не допускается.";
    repair_record_scrap: "登记固体废物出区", "Record scrap leaving", "Записать вывоз отходов";
    repair_scrap_description: "品名", "Description", "Описание";
    repair_weight_kg: "重量（千克）", "Weight (kg)", "Вес (кг)";
    repair_disposal_enterprise: "处置企业", "Disposal enterprise", "Предприятие по утилизации";
    repair_disposal_record_no: "处置记录编号", "Disposal record", "Запись об утилизации";
    nav_warehouses: "海外仓", "Overseas warehouses", "Зарубежные склады";
    nav_delegations: "委托申报", "Delegations", "Делегирование";
    delegations_title: "委托申报", "Delegated declaration", "Делегирование деклараций";
    delegations_lead: "海关单证只受理单证所列当事企业自己申报，或由其委托的企业申报。在此指定哪些企业可以代本企业申报哪类单证，并可随时撤销；撤销后，受托企业再发送列明本企业的单证将被退回，已申报的单证不受影响。", "Customs documents are accepted only from the enterprise they name, or from an enterprise it delegated to. Name here who may declare which of your documents, and revoke it at any time: after revocation, documents the agent sends naming you are refused; what it declared before stays.", "Таможенные документы принимаются только от указанного в них предприятия или от предприятия, которому оно это поручило. Здесь вы указываете, кто и какие ваши документы может подавать, и в любой момент отзываете поручение: после отзыва документы поверенного с вашим кодом отклоняются; поданное ранее сохраняется.";
    delegation_grant: "新增委托", "Grant a delegation", "Выдать поручение";
    delegation_agent: "受托企业（海关编码）", "Agent (customs code)", "Поверенный (таможенный код)";
    delegation_agent_hint: "10 位海关注册编码，须为本平台已备案、状态正常的企业", "The 10-character customs code of an active enterprise filed with the platform", "10-значный таможенный код действующего предприятия, зарегистрированного на платформе";
    delegation_principal: "委托企业", "Principal", "Доверитель";
    delegation_scopes: "委托申报的单证", "Documents delegated", "Поручаемые документы";
    delegation_valid_through: "有效期至", "Valid through", "Действует по";
    delegation_valid_through_hint: "最后有效日（中国时间）；不填则撤销前一直有效", "The last day it is in force (China time); leave empty to keep it until revoked", "Последний день действия (время Китая); оставьте пустым — до отзыва";
    delegation_until_revoked: "撤销前有效", "Until revoked", "До отзыва";
    delegation_note: "备注（如委托协议编号）", "Note (e.g. the agreement's number)", "Примечание (например, номер договора)";
    delegation_lapsed: "已到期", "Lapsed", "Истекло";
    delegation_granted: "已新增委托：", "Delegations granted:", "Выдано поручений:";
    delegation_revoked: "已撤销委托：", "Delegation revoked:", "Поручение отозвано:";
    delegation_revoke_confirm: "撤销后，该企业将不能再代本企业申报此类单证。此操作不可恢复，如需恢复须重新委托。", "Once revoked, the agent can no longer declare these documents for you. This cannot be undone; grant a new delegation if needed.", "После отзыва поверенный больше не сможет подавать эти документы за вас. Действие необратимо; при необходимости выдайте новое поручение.";
    delegation_revoke: "撤销委托", "Revoke", "Отозвать";
    delegation_revoke_now: "确认撤销", "Revoke now", "Отозвать сейчас";
    delegation_revoked_at: "已撤销", "Revoked", "Отозвано";
    delegations_granted: "本企业委托他人", "Granted by you", "Выданные вами";
    delegations_received: "他人委托本企业", "Granted to you", "Выданные вам";
    delegations_others: "其他企业之间的委托", "Between other enterprises", "Между другими предприятиями";
    china_time_zone: "（北京时间）", "(China time, UTC+8)", "(время Китая, UTC+8)";
    show_personal: "显示完整个人信息（将记入审计日志）", "Show personal information in full (recorded in the audit trail)", "Показать персональные данные полностью (записывается в журнал аудита)";
    personal_shown: "个人信息已完整显示，本次查看已记入审计日志。", "Personal information is shown in full; this viewing is recorded in the audit trail.", "Персональные данные показаны полностью; этот просмотр записан в журнал аудита.";
    hide_personal: "隐藏个人信息", "Hide personal information", "Скрыть персональные данные";
    personal_masked: "个人信息已按规定隐去部分内容。", "Personal information is partly hidden, as the rules require.", "Персональные данные частично скрыты, как требуют правила.";
    warehouses_title: "海外仓备案", "Overseas-warehouse registry", "Реестр зарубежных складов";
    warehouses_lead: "跨境电商出口海外仓（9810）的企业登记所使用的每个海外仓，向海关申报备案；海关审核通过或退回（注明原因）。只有已备案的海外仓可用于 9810 出口清单。", "An enterprise exporting to overseas warehouses (9810) registers each overseas warehouse it uses and files it with customs, which approves it or returns it with a reason. Only approved warehouses count for 9810 export lists.", "Предприятие, экспортирующее на зарубежные склады (9810), регистрирует каждый используемый склад и подаёт его на учёт в таможню; таможня одобряет его или возвращает с указанием причины. Для экспортных листов 9810 учитываются только одобренные склады.";
    warehouses_register: "登记海外仓", "Register a warehouse", "Зарегистрировать склад";
    warehouses_refile: "修改后重新申报", "Change and file again", "Изменить и подать снова";
    warehouse_code: "海外仓编号", "Warehouse code", "Код склада";
    warehouse_name: "海外仓名称", "Warehouse name", "Название склада";
    warehouse_operator: "经营企业", "Operator", "Оператор";
    warehouse_country: "所在国家（地区）代码", "Country code", "Код страны";
    warehouse_address: "地址", "Address", "Адрес";
    warehouse_capacity: "仓储面积/容量", "Capacity", "Вместимость";
    warehouse_capacity_unit: "计量", "Capacity unit", "Единица вместимости";
    warehouse_unit_m2: "平方米", "square metres", "кв. м";
    warehouse_unit_m3: "立方米", "cubic metres", "куб. м";
    warehouse_unit_pallet: "托盘位", "pallet positions", "паллетомест";
    warehouse_status_filed: "已申报待审", "Filed, awaiting customs", "Подан, ожидает таможню";
    warehouse_status_approved: "已备案", "Approved", "Одобрен";
    warehouse_status_returned: "已退回", "Returned", "Возвращён";
    warehouse_approve: "备案通过", "Approve", "Одобрить";
    warehouse_return: "退回", "Return", "Вернуть";
    warehouse_decided: "海外仓已处理", "Warehouse decided", "Решение по складу принято";
    nav_purchases: "无票免税", "Purchase record", "Закупки без счетов";
    purchases_title: "无票免税购进记录", "Purchase record (exports without purchase invoices)", "Учёт закупок (экспорт без входящих счетов)";
    purchases_lead: "综试区内未取得有效进货凭证的零售出口企业，在平台登记所购货物的日期、名称、计量单位、数量、单价和金额，并关联已放行的出口清单，出口免征增值税和消费税（财税〔2018〕103号）。金额须等于数量 × 单价，四舍五入到分。税务机关和海关可查看并下载。", "A pilot-zone retail exporter without valid purchase invoices records on the platform the date, name, unit, quantity, unit price and amount of the goods it bought, linked to its released export lists; the export is then exempt from VAT and consumption tax (Caishui [2018] No. 103). The amount must be quantity × unit price rounded half up to the fen. The tax office and customs read and download it.", "Розничный экспортёр пилотной зоны без входящих счетов регистрирует на платформе дату, наименование, единицу, количество, цену и сумму закупленных товаров со ссылкой на выпущенные экспортные листы; экспорт освобождается от НДС и акциза (Цайшуй [2018] № 103). Сумма должна равняться количеству × цене с округлением до фыня (половина вверх). Налоговая служба и таможня видят и скачивают записи.";
    purchases_record: "登记购进货物", "Record a purchase", "Записать закупку";
    purchase_date: "购进日期", "Purchase date", "Дата закупки";
    purchase_quantity: "数量", "Quantity", "Количество";
    purchase_unit_price: "单价（元）", "Unit price (CNY)", "Цена за единицу (юани)";
    purchase_amount: "金额（元）", "Amount (CNY)", "Сумма (юани)";
    purchase_seller: "销售方", "Seller", "Продавец";
    purchase_lists: "出口清单编号（多个用逗号分隔）", "Export lists (invtNo, comma-separated)", "Экспортные листы (invtNo через запятую)";
    purchase_month: "月份", "Month", "Месяц";
    purchase_list: "清单编号", "Export list", "Экспортный лист";
    purchase_recorded: "已登记", "Recorded", "Записано";
    purchase_total: "合计金额", "Total amount", "Итого";
    nav_summaries: "汇总申报", "Summary declarations", "Сводные декларации";
    summaries_title: "出口汇总申报", "Export summary declarations", "Сводное декларирование экспорта";
    summaries_lead: "跨境电商零售出口“清单核放、汇总申报”：每月15日前（遇节假日顺延至下一个工作日）将上月放行的出口清单按同一收发货人、运输方式、生产销售单位、运抵国、出境关别归并为报关单，商品按最终目的国、10位商品编码、币制归并（CEB701申请，CEB792回执）。“清单核放、汇总统计”的清单（statisticsFlag A）只作统计，不汇总申报。截止日按周一至周五计算，本平台暂无法定节假日表。", "Retail exports are released per list and declared in summary: by the 15th of each month (the next working day if it is not one) last month's released export lists are merged into export declarations by the same consignor, transport mode, producer/seller, country of arrival and exit customs, and their goods by final destination, 10-digit HS code and currency (CEB701 application, CEB792 results). Lists on the simplified path (statisticsFlag A) are counted for statistics only. Deadlines count Monday to Friday as working days: the platform has no public-holiday table yet.", "Розничный экспорт выпускается по спискам и декларируется сводно: до 15-го числа каждого месяца (или следующего рабочего дня) выпущенные за прошлый месяц экспортные списки объединяются в декларации по одному грузоотправителю, виду транспорта, производителю/продавцу, стране прибытия и таможне вывоза, а товары — по стране назначения, 10-значному коду ТН ВЭД и валюте (заявка CEB701, результаты CEB792). Списки упрощённого порядка (statisticsFlag A) учитываются только в статистике. Срок считается по рабочим дням с понедельника по пятницу: таблицы праздников на платформе пока нет.";
    summaries_due: "待汇总申报", "Due for summary declaration", "Подлежит сводному декларированию";
    summaries_nothing_due: "没有待汇总申报的已放行清单。", "No released list is waiting to be declared.", "Нет выпущенных списков, ожидающих декларирования.";
    summaries_month: "放行月份", "Released in", "Месяц выпуска";
    summaries_deadline: "申报截止日", "Deadline", "Срок подачи";
    summaries_days_left: "剩余天数", "Days left", "Осталось дней";
    summaries_overdue: "已逾期", "Overdue", "Просрочено";
    summaries_due_soon: "即将到期", "Due soon", "Скоро срок";
    summaries_on_time: "未到期", "Not yet due", "Срок не наступил";
    summaries_warning_overdue: "有已放行清单超过汇总申报截止日仍未申报，请立即发送汇总申请（CEB701）。", "Released lists are past their summary declaration deadline: send the summary application (CEB701) now.", "Срок сводного декларирования выпущенных списков истёк: отправьте заявку (CEB701) немедленно.";
    summaries_warning_soon: "汇总申报截止日将在3天内到达，请及时发送汇总申请（CEB701）。", "A summary declaration deadline is within 3 days: send the summary application (CEB701) in time.", "Срок сводного декларирования наступает в течение 3 дней: отправьте заявку (CEB701) вовремя.";
    summaries_declarations: "拟归并报关单", "Declarations to compile", "Декларации к составлению";
    summaries_statistics_only: "仅统计清单（汇总统计）", "Statistics-only lists", "Списки только для статистики";
    summaries_consignor: "收发货人", "Consignor", "Грузоотправитель";
    summaries_transport: "运输方式", "Transport mode", "Вид транспорта";
    summaries_producer: "生产销售单位", "Producer/seller", "Производитель/продавец";
    summaries_arrival_country: "运抵国", "Country of arrival", "Страна прибытия";
    summaries_exit_customs: "出境关别", "Exit customs", "Таможня вывоза";
    summaries_lists: "清单", "Lists", "Списки";
    summaries_lines: "商品项", "Lines", "Позиции";
    summaries_destination: "最终目的国", "Destination", "Страна назначения";
    summaries_hs_code: "商品编码", "HS code", "Код ТН ВЭД";
    summaries_quantity: "法定数量", "Quantity", "Количество";
    summaries_total: "总价", "Total price", "Общая стоимость";
    summaries_filed: "已提交的汇总申请", "Summary applications filed", "Поданные сводные заявки";
    summaries_sum_no: "汇总申请编号", "Summary number", "Номер сводной заявки";
    summaries_cop_no: "企业编号", "Enterprise number", "Номер предприятия";
    summaries_period: "汇总期间", "Period", "Период";
    summaries_results: "汇总结果（CEB792）", "Results (CEB792)", "Результаты (CEB792)";
    summaries_decl_seq_no: "汇总统一编号", "Declaration number", "Номер декларации";
    summaries_dec_state: "报关单状态", "Declaration state", "Статус декларации";
    summaries_weights: "毛重/净重（千克）", "Gross/net weight (kg)", "Вес брутто/нетто (кг)";
    summaries_exporter: "出口企业", "Exporter", "Экспортёр";
    summaries_lead_officer: "各出口企业提交的汇总申请和逾期未申报的已放行清单。", "Every exporter's summary applications, and released lists past their deadline.", "Сводные заявки всех экспортёров и выпущенные списки с истёкшим сроком.";
    summaries_overdue_heading: "逾期未汇总申报", "Overdue", "Просроченные";
    export_returns_heading: "出口退货", "Export returns", "Возвраты экспорта";
    export_returns_lead: "6个月内因滞销、退货原状退回的出口商品（食品除外）免征进口关税和进口环节增值税、消费税，出口关税予以退还。", "Exported goods returned in original condition within 6 months, unsold or returned by the buyer (food excluded), are exempt from import duty, VAT and consumption tax; the export duty is refunded.", "Экспортные товары, возвращённые в исходном состоянии в течение 6 месяцев (кроме продуктов питания), освобождаются от ввозной пошлины, НДС и акциза; вывозная пошлина возвращается.";
    export_return_no: "退货申请编号", "Return number", "Номер возврата";
    export_return_lines: "退货商品", "Goods returned", "Возвращённые товары";
    export_return_reason: "退货原因", "Reason", "Причина";
    export_return_tax: "税收处理", "Tax consequence", "Налоговые последствия";
    export_return_exempt: "免税", "Exempt", "Освобождено";
    export_return_taxable: "征税", "Taxable", "Облагается";
    export_return_requested: "已申请，待理货", "Requested, awaiting tally", "Заявлено, ожидает приёмки";
    export_return_tallied: "已理货入场", "Tallied in", "Принято на склад";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_chinese_is_the_default() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("EN"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::default(), Lang::ZhCn);
    }

    #[test]
    fn every_language_has_its_own_texts() {
        assert_eq!(Lang::ZhCn.texts().sign_in_title, "登录");
        assert_eq!(Lang::En.texts().sign_in_title, "Sign in");
        assert_eq!(Lang::Ru.texts().sign_in_title, "Вход");
    }
}

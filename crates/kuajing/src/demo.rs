//! The demo data set (`kuajing serve --demo`): a realistic Hunchun zone —
//! 珲春综合保税区, 中俄互市贸易区 and the parks of the border economic
//! cooperation zone — with the agencies, about forty enterprises across the
//! roles, and a user for each role.
//!
//! Everything here is fictitious: the names are invented, the codes are
//! well-formed (USCCs carry correct GB 32100 and GB 11714 check characters,
//! computed from their bodies) but issued by nobody. Every organisation is
//! flagged as demo data and the portal says so on every page.

use kuajing_core::filing::Step;
use kuajing_core::ids::{CustomsCode, Uscc};
use kuajing_core::role::{Role, RoleSet};
use kuajing_core::timestamp::Timestamp;
use kuajing_registry::actor::Actor;
use kuajing_registry::auth::password;
use kuajing_registry::filing::{self, commodity::CommodityInput};
use kuajing_store::audit::{self, ActorKind, NewAuditEntry, Outcome};
use kuajing_store::organisations::{self, NewOrganisation};
use kuajing_store::users::{self, NewUser};
use kuajing_store::{Store, StoreError, settings};

/// The password of every demo user; printed by `serve --demo`. Demo only.
pub const DEMO_PASSWORD: &str = "Hunchun-Demo-2026";

/// The parks and areas of the zone (两区多园).
pub mod parks {
    /// Hunchun Comprehensive Bonded Zone.
    pub const BONDED_ZONE: &str = "珲春综合保税区";
    /// China–Russia Mutual Trade Zone (互市贸易区), 8.7 km from the Hunchun port.
    pub const MUTUAL_TRADE_ZONE: &str = "中俄互市贸易区";
    /// Hunchun Border Economic Cooperation Zone.
    pub const BORDER_ZONE: &str = "珲春边境经济合作区";
    /// Cross-border e-commerce industrial park.
    pub const ECOMMERCE_PARK: &str = "珲春跨境电商产业园";
    /// International logistics park by the road and rail ports.
    pub const LOGISTICS_PARK: &str = "珲春国际物流园";
    /// Seat of the agencies in the city.
    pub const CITY: &str = "珲春市区";
}

/// One organisation of the demo set.
struct DemoOrg {
    code: &'static str,
    name: &'static str,
    name_en: &'static str,
    /// First 8 characters of the USCC (authority, type, division), or "" for
    /// a foreign seller without one.
    uscc_prefix: &'static str,
    /// The 8 body characters of the organisation code inside the USCC.
    uscc_body: &'static str,
    roles: &'static [Role],
    park: &'static str,
    address: &'static str,
    contact: &'static str,
    phone: &'static str,
}

use Role::*;
use parks::*;

/// `91`: enterprise registered with market regulation; `92`: individual
/// business; `93`: farmers' co-operative; `11`: government body; `12`:
/// public institution; `222404`: Hunchun's division code.
const ORGANISATIONS: &[DemoOrg] = &[
    // The agencies (监管部门及服务机构).
    DemoOrg {
        code: "2224G10001",
        name: "中华人民共和国珲春海关",
        name_en: "Hunchun Customs",
        uscc_prefix: "11222404",
        uscc_body: "0135762A",
        roles: &[Customs],
        park: CITY,
        address: "吉林省珲春市河南街道口岸大路1号",
        contact: "金振国",
        phone: "0433-7512001",
    },
    DemoOrg {
        code: "2224G10002",
        name: "国家税务总局珲春市税务局",
        name_en: "Hunchun Taxation Bureau, STA",
        uscc_prefix: "11222404",
        uscc_body: "0135811K",
        roles: &[Tax],
        park: CITY,
        address: "吉林省珲春市新安街道新安路66号",
        contact: "李慧敏",
        phone: "0433-7512002",
    },
    DemoOrg {
        code: "2224G10003",
        name: "国家外汇管理局延边朝鲜族自治州中心支局",
        name_en: "Yanbian Central Sub-branch, SAFE",
        uscc_prefix: "11222401",
        uscc_body: "0124357P",
        roles: &[Forex],
        park: CITY,
        address: "吉林省延吉市光明街88号",
        contact: "朴成浩",
        phone: "0433-2512003",
    },
    DemoOrg {
        code: "2224G10004",
        name: "珲春市商务局",
        name_en: "Hunchun Bureau of Commerce",
        uscc_prefix: "11222404",
        uscc_body: "0135903R",
        roles: &[Commerce],
        park: CITY,
        address: "吉林省珲春市靖和街道政府路1号",
        contact: "王立新",
        phone: "0433-7512004",
    },
    DemoOrg {
        code: "2224G10005",
        name: "珲春市市场监督管理局",
        name_en: "Hunchun Administration for Market Regulation",
        uscc_prefix: "11222404",
        uscc_body: "MB095782",
        roles: &[MarketRegulation],
        park: CITY,
        address: "吉林省珲春市靖和街道和平路18号",
        contact: "赵雅琴",
        phone: "0433-7512005",
    },
    DemoOrg {
        code: "2224G10006",
        name: "延边朝鲜族自治州邮政管理局",
        name_en: "Yanbian Postal Administration",
        uscc_prefix: "11222401",
        uscc_body: "MB158430",
        roles: &[Post],
        park: CITY,
        address: "吉林省延吉市公园路200号",
        contact: "崔明哲",
        phone: "0433-2512006",
    },
    DemoOrg {
        code: "2224G10007",
        name: "珲春市交通运输局",
        name_en: "Hunchun Transport Bureau",
        uscc_prefix: "11222404",
        uscc_body: "0136014T",
        roles: &[Transport],
        park: CITY,
        address: "吉林省珲春市新安街道交通路9号",
        contact: "孙建军",
        phone: "0433-7512007",
    },
    DemoOrg {
        code: "2224G10008",
        name: "中国银行股份有限公司珲春支行",
        name_en: "Bank of China, Hunchun Branch",
        uscc_prefix: "91222404",
        uscc_body: "7344612X",
        roles: &[Bank, Payment],
        park: CITY,
        address: "吉林省珲春市新安街道河南路128号",
        contact: "刘晓东",
        phone: "0433-7512008",
    },
    DemoOrg {
        code: "2224G10009",
        name: "中国人民财产保险股份有限公司珲春支公司",
        name_en: "PICC P&C, Hunchun Branch",
        uscc_prefix: "91222404",
        uscc_body: "7023985U",
        roles: &[Insurance],
        park: CITY,
        address: "吉林省珲春市靖和街道站前路36号",
        contact: "张丽华",
        phone: "0433-7512009",
    },
    DemoOrg {
        code: "2224G10010",
        name: "珲春跨境电子商务综合试验区管理委员会",
        name_en: "Administrative Committee of the Hunchun Cross-border E-commerce Pilot Zone",
        uscc_prefix: "11222404",
        uscc_body: "MB197745",
        roles: &[ZoneAdmin],
        park: BORDER_ZONE,
        address: "吉林省珲春市边境经济合作区珲春大路999号",
        contact: "陈志远",
        phone: "0433-7512010",
    },
    // E-commerce platforms and enterprises (电商平台、电商企业).
    DemoOrg {
        code: "2224960001",
        name: "珲春跨境优选电子商务有限公司",
        name_en: "Hunchun Kuajing Youxuan E-commerce Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0Y3K7Q",
        roles: &[Ebp, Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园A座8层",
        contact: "杨帆",
        phone: "13904331201",
    },
    DemoOrg {
        code: "2224960002",
        name: "吉林东北亚跨境电商平台有限公司",
        name_en: "Jilin Northeast Asia Cross-border E-commerce Platform Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA15L2WH",
        roles: &[Ebp],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园B座3层",
        contact: "黄海波",
        phone: "13904331202",
    },
    DemoOrg {
        code: "2224960003",
        name: "延边图们江国际商城网络科技有限公司",
        name_en: "Yanbian Tumen River International Mall Network Technology Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA17C8RN",
        roles: &[Ebp],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园C座5层",
        contact: "许文静",
        phone: "13904331203",
    },
    DemoOrg {
        code: "2224960004",
        name: "珲春俄品汇电子商务有限公司",
        name_en: "Hunchun Russian Goods Hub E-commerce Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0XWQ4E",
        roles: &[Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园A座12层",
        contact: "高娜",
        phone: "13904331204",
    },
    DemoOrg {
        code: "2224960005",
        name: "珲春海之味水产品贸易有限公司",
        name_en: "Hunchun Taste of the Sea Aquatic Products Trading Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0YBD2T",
        roles: &[Ebc],
        park: BORDER_ZONE,
        address: "吉林省珲春市边境经济合作区水产加工园6号",
        contact: "郑海涛",
        phone: "13904331205",
    },
    DemoOrg {
        code: "2224960006",
        name: "珲春韩品购商贸有限公司",
        name_en: "Hunchun Korean Goods Trading Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA14HF6M",
        roles: &[Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园D座2层",
        contact: "金美善",
        phone: "13904331206",
    },
    DemoOrg {
        code: "2224960007",
        name: "珲春日昇跨境贸易有限公司",
        name_en: "Hunchun Rising Sun Cross-border Trade Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA16P9KX",
        roles: &[Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园D座6层",
        contact: "林晓峰",
        phone: "13904331207",
    },
    DemoOrg {
        code: "2224960008",
        name: "珲春北极熊食品进出口有限公司",
        name_en: "Hunchun Polar Bear Food Import & Export Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0Y7N3G",
        roles: &[Ebc],
        park: BONDED_ZONE,
        address: "吉林省珲春市综合保税区创新路15号",
        contact: "马国庆",
        phone: "13904331208",
    },
    DemoOrg {
        code: "2224960009",
        name: "珲春长白山特产电子商务有限公司",
        name_en: "Hunchun Changbai Mountain Specialties E-commerce Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA15R4DB",
        roles: &[Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园B座9层",
        contact: "尹春花",
        phone: "13904331209",
    },
    DemoOrg {
        code: "2224960010",
        name: "珲春中俄木业贸易有限公司",
        name_en: "Hunchun Sino-Russian Timber Trading Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0XR8JC",
        roles: &[Ebc],
        park: BORDER_ZONE,
        address: "吉林省珲春市边境经济合作区俄罗斯工业园18号",
        contact: "丁伟",
        phone: "13904331210",
    },
    DemoOrg {
        code: "2224960011",
        name: "珲春大雁跨境电子商务有限公司",
        name_en: "Hunchun Wild Goose Cross-border E-commerce Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA17A6UP",
        roles: &[Ebp, Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园C座10层",
        contact: "邓丽",
        phone: "13904331211",
    },
    DemoOrg {
        code: "2224960012",
        name: "延边韩亚跨境电商有限公司",
        name_en: "Yanbian Hanya Cross-border E-commerce Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA14T1LW",
        roles: &[Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园A座4层",
        contact: "朴英爱",
        phone: "13904331212",
    },
    DemoOrg {
        code: "2224960013",
        name: "珲春松花石跨境电商有限公司",
        name_en: "Hunchun Songhua Stone Cross-border E-commerce Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA16E3QY",
        roles: &[Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园B座7层",
        contact: "吕志强",
        phone: "13904331213",
    },
    DemoOrg {
        code: "2224960014",
        name: "珲春海洋之星进出口有限公司",
        name_en: "Hunchun Ocean Star Import & Export Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0Y9H5F",
        roles: &[Ebc],
        park: BONDED_ZONE,
        address: "吉林省珲春市综合保税区海港路7号",
        contact: "曲海燕",
        phone: "13904331214",
    },
    DemoOrg {
        code: "2224960015",
        name: "珲春华瑞国际贸易有限公司",
        name_en: "Hunchun Huarui International Trade Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA15N7XR",
        roles: &[Ebc, Declarer],
        park: BORDER_ZONE,
        address: "吉林省珲春市边境经济合作区国际贸易大厦11层",
        contact: "袁华",
        phone: "13904331215",
    },
    DemoOrg {
        code: "2224960016",
        name: "珲春紫金电商产业园运营有限公司",
        name_en: "Hunchun Zijin E-commerce Park Operation Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA17G2HD",
        roles: &[Ebc],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园综合楼1层",
        contact: "谭静",
        phone: "13904331216",
    },
    // Foreign sellers (境外电商企业): no USCC; filed through a domestic agent.
    DemoOrg {
        code: "2224990001",
        name: "滨海边疆区海产有限责任公司",
        name_en: "Primorye Seafood LLC (ООО «Приморские морепродукты»)",
        uscc_prefix: "",
        uscc_body: "",
        roles: &[Ebc],
        park: MUTUAL_TRADE_ZONE,
        address: "Российская Федерация, Приморский край, г. Владивосток, ул. Светланская, 45",
        contact: "Иван Петров",
        phone: "+7 423 2000045",
    },
    DemoOrg {
        code: "2224990002",
        name: "釜山美妆株式会社",
        name_en: "Busan Beauty Co., Ltd.",
        uscc_prefix: "",
        uscc_body: "",
        roles: &[Ebc],
        park: BONDED_ZONE,
        address: "대한민국 부산광역시 중구 중앙대로 88",
        contact: "김민지",
        phone: "+82 51 4000088",
    },
    // Payment companies (支付企业).
    DemoOrg {
        code: "2224960101",
        name: "吉林东北亚支付服务有限公司",
        name_en: "Jilin Northeast Asia Payment Services Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0Y4C8W",
        roles: &[Payment],
        park: BORDER_ZONE,
        address: "吉林省珲春市边境经济合作区金融街3号",
        contact: "胡晓梅",
        phone: "13904331301",
    },
    DemoOrg {
        code: "2224960102",
        name: "延边丝路通支付科技有限公司",
        name_en: "Yanbian Silk Road Pay Technology Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA16K5NB",
        roles: &[Payment],
        park: ECOMMERCE_PARK,
        address: "吉林省珲春市边境经济合作区电商产业园E座2层",
        contact: "彭刚",
        phone: "13904331302",
    },
    // Logistics (物流企业): road to Kraskino, rail to Makhalino, sea via Zarubino to Busan.
    DemoOrg {
        code: "2224960201",
        name: "珲春图们江国际物流有限公司",
        name_en: "Hunchun Tumen River International Logistics Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0XM2EF",
        roles: &[Logistics],
        park: LOGISTICS_PARK,
        address: "吉林省珲春市国际物流园物流大道1号",
        contact: "方勇",
        phone: "13904331401",
    },
    DemoOrg {
        code: "2224960202",
        name: "珲春扎鲁比诺港海运代理有限公司",
        name_en: "Hunchun Zarubino Port Shipping Agency Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA15D9RW",
        roles: &[Logistics],
        park: LOGISTICS_PARK,
        address: "吉林省珲春市国际物流园港航服务中心5层",
        contact: "蒋涛",
        phone: "13904331402",
    },
    DemoOrg {
        code: "2224960203",
        name: "珲春中俄铁路联运有限公司",
        name_en: "Hunchun Sino-Russian Rail Intermodal Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA14Y6TG",
        roles: &[Logistics],
        park: LOGISTICS_PARK,
        address: "吉林省珲春市国际物流园铁路口岸站前路2号",
        contact: "韩冰",
        phone: "13904331403",
    },
    DemoOrg {
        code: "2224960204",
        name: "珲春快捷国际快递有限公司",
        name_en: "Hunchun Swift International Express Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA17J3PK",
        roles: &[Logistics],
        park: LOGISTICS_PARK,
        address: "吉林省珲春市国际物流园快件监管中心",
        contact: "程亮",
        phone: "13904331404",
    },
    DemoOrg {
        code: "2224960205",
        name: "珲春边境公路运输有限公司",
        name_en: "Hunchun Border Road Transport Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0Y2P6L",
        roles: &[Logistics],
        park: LOGISTICS_PARK,
        address: "吉林省珲春市国际物流园公路口岸路12号",
        contact: "沈建华",
        phone: "13904331405",
    },
    DemoOrg {
        code: "2224960206",
        name: "珲春北方跨境供应链管理有限公司",
        name_en: "Hunchun Northern Cross-border Supply Chain Management Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA16U8CX",
        roles: &[Logistics, Declarer],
        park: BONDED_ZONE,
        address: "吉林省珲春市综合保税区物流路20号",
        contact: "汪洋",
        phone: "13904331406",
    },
    // Customs declarers (申报企业).
    DemoOrg {
        code: "2224980301",
        name: "珲春通关宝报关有限公司",
        name_en: "Hunchun Tongguanbao Customs Brokerage Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0XT5HA",
        roles: &[Declarer],
        park: BONDED_ZONE,
        address: "吉林省珲春市综合保税区联检大楼3层",
        contact: "萧敏",
        phone: "13904331501",
    },
    DemoOrg {
        code: "2224980302",
        name: "延边东疆报关服务有限公司",
        name_en: "Yanbian Dongjiang Customs Declaration Services Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA15F4YJ",
        roles: &[Declarer],
        park: BORDER_ZONE,
        address: "吉林省珲春市边境经济合作区口岸服务中心2层",
        contact: "贺军",
        phone: "13904331502",
    },
    DemoOrg {
        code: "2224980303",
        name: "珲春海通报关行有限公司",
        name_en: "Hunchun Haitong Customs Brokers Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA17N6WQ",
        roles: &[Declarer],
        park: BONDED_ZONE,
        address: "吉林省珲春市综合保税区联检大楼5层",
        contact: "龙晓",
        phone: "13904331503",
    },
    // Bonded and overseas warehouses (区内仓储企业、海外仓).
    DemoOrg {
        code: "2224560401",
        name: "珲春综保区保税仓储有限公司",
        name_en: "Hunchun CBZ Bonded Warehousing Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA0Y6R2M",
        roles: &[Warehouse],
        park: BONDED_ZONE,
        address: "吉林省珲春市综合保税区仓储路1号",
        contact: "魏强",
        phone: "13904331601",
    },
    DemoOrg {
        code: "2224560402",
        name: "珲春东北亚保税物流中心有限公司",
        name_en: "Hunchun Northeast Asia Bonded Logistics Centre Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA14B7DE",
        roles: &[Warehouse, Logistics],
        park: BONDED_ZONE,
        address: "吉林省珲春市综合保税区仓储路8号",
        contact: "邱红",
        phone: "13904331602",
    },
    DemoOrg {
        code: "2224560403",
        name: "珲春冷链保税仓储有限公司",
        name_en: "Hunchun Cold Chain Bonded Warehousing Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA16W9GR",
        roles: &[Warehouse],
        park: BONDED_ZONE,
        address: "吉林省珲春市综合保税区冷链路3号",
        contact: "雷鸣",
        phone: "13904331603",
    },
    DemoOrg {
        code: "2224960404",
        name: "珲春海外仓服务有限公司",
        name_en: "Hunchun Overseas Warehouse Services Co., Ltd.",
        uscc_prefix: "91222404",
        uscc_body: "MA17Q1TU",
        roles: &[Warehouse],
        park: LOGISTICS_PARK,
        address: "吉林省珲春市国际物流园海外仓服务中心",
        contact: "田野",
        phone: "13904331604",
    },
    // Border traders in the mutual trade zone (互市商户).
    DemoOrg {
        code: "2224970501",
        name: "珲春互市贸易区俄罗斯商品经营部",
        name_en: "Hunchun Mutual Trade Zone Russian Goods Store",
        uscc_prefix: "92222404",
        uscc_body: "MA0Y8W3N",
        roles: &[BorderTrader],
        park: MUTUAL_TRADE_ZONE,
        address: "吉林省珲春市中俄互市贸易区商品交易中心A区108号",
        contact: "白雪",
        phone: "13904331701",
    },
    DemoOrg {
        code: "2224970502",
        name: "珲春边民互市专业合作社",
        name_en: "Hunchun Border Residents' Mutual Trade Co-operative",
        uscc_prefix: "93222404",
        uscc_body: "MA15H2KP",
        roles: &[BorderTrader],
        park: MUTUAL_TRADE_ZONE,
        address: "吉林省珲春市中俄互市贸易区服务中心2层",
        contact: "安德明",
        phone: "13904331702",
    },
    DemoOrg {
        code: "2224970503",
        name: "珲春明珠互市商行",
        name_en: "Hunchun Pearl Mutual Trade Shop",
        uscc_prefix: "92222404",
        uscc_body: "MA17E5RC",
        roles: &[BorderTrader],
        park: MUTUAL_TRADE_ZONE,
        address: "吉林省珲春市中俄互市贸易区商品交易中心B区215号",
        contact: "姜珠",
        phone: "13904331703",
    },
    DemoOrg {
        code: "2224970504",
        name: "珲春阿穆尔海产品互市商行",
        name_en: "Hunchun Amur Seafood Mutual Trade Shop",
        uscc_prefix: "92222404",
        uscc_body: "MA16C4XL",
        roles: &[BorderTrader],
        park: MUTUAL_TRADE_ZONE,
        address: "吉林省珲春市中俄互市贸易区海产品市场12号",
        contact: "于江",
        phone: "13904331704",
    },
];

/// Foreign sellers and the domestic agents (境内代理人) that file for them.
const AGENTS: &[(&str, &str)] = &[("2224990001", "2224960015"), ("2224990002", "2224960006")];

/// A demo commodity: owner, what it is, and how far it has gone.
struct DemoGood {
    owner: &'static str,
    item_no: &'static str,
    name: &'static str,
    brand: &'static str,
    specification: &'static str,
    hs_code: &'static str,
    origin: &'static str,
    unit1: &'static str,
    unit2: Option<&'static str>,
    price: &'static str,
    currency: &'static str,
    barcode: Option<&'static str>,
    regional_brand: bool,
    /// Approved by customs (active), only submitted, or still a draft.
    stage: Stage,
}

#[derive(Clone, Copy)]
enum Stage {
    Draft,
    Submitted,
    Active,
}

/// Goods the demo enterprises trade, on tariff lines of the seed set:
/// Russian seafood, honey and chocolate by road from Kraskino, Korean
/// cosmetics and Japanese infant formula by sea via Zarubino, spirits, and a
/// local honey product applying for the regional brand (珲字号).
const GOODS: &[DemoGood] = &[
    DemoGood {
        owner: "2224960004",
        item_no: "RU-POLLOCK-1KG",
        name: "俄罗斯冻狭鳕鱼片",
        brand: "Русское море",
        specification: "1千克/袋，冷冻",
        hs_code: "0303670000",
        origin: "344",
        unit1: "035",
        unit2: None,
        price: "68",
        currency: "142",
        barcode: Some("4607001234562"),
        regional_brand: false,
        stage: Stage::Active,
    },
    DemoGood {
        owner: "2224960004",
        item_no: "RU-HONEY-500G",
        name: "俄罗斯椴树蜂蜜",
        brand: "Алтай",
        specification: "500克/瓶",
        hs_code: "0409000000",
        origin: "344",
        unit1: "035",
        unit2: None,
        price: "98",
        currency: "142",
        barcode: None,
        regional_brand: false,
        stage: Stage::Active,
    },
    DemoGood {
        owner: "2224960004",
        item_no: "RU-CHOC-ALENKA-100G",
        name: "俄罗斯牛奶巧克力",
        brand: "Алёнка",
        specification: "100克/块",
        hs_code: "1806900000",
        origin: "344",
        unit1: "035",
        unit2: None,
        price: "25",
        currency: "142",
        barcode: None,
        regional_brand: false,
        stage: Stage::Submitted,
    },
    DemoGood {
        owner: "2224960005",
        item_no: "KAM-KINGCRAB-2KG",
        name: "堪察加冻帝王蟹",
        brand: "Камчатка",
        specification: "2千克/只，冷冻",
        hs_code: "0306149010",
        origin: "344",
        unit1: "035",
        unit2: None,
        price: "680",
        currency: "142",
        barcode: None,
        regional_brand: false,
        stage: Stage::Active,
    },
    DemoGood {
        owner: "2224960006",
        item_no: "KR-SERUM-50ML",
        name: "韩国保湿精华液",
        brand: "Seoul Dew",
        specification: "50毫升/瓶",
        hs_code: "3304990039",
        origin: "133",
        unit1: "035",
        unit2: Some("011"),
        price: "320",
        currency: "142",
        barcode: None,
        regional_brand: false,
        stage: Stage::Active,
    },
    DemoGood {
        owner: "2224960007",
        item_no: "JP-FORMULA-800G",
        name: "日本婴儿配方奶粉（1段）",
        brand: "Hinode",
        specification: "800克/罐，0-12个月",
        hs_code: "1901101090",
        origin: "116",
        unit1: "035",
        unit2: None,
        price: "258",
        currency: "142",
        barcode: None,
        regional_brand: false,
        stage: Stage::Active,
    },
    DemoGood {
        owner: "2224960008",
        item_no: "RU-SPIRIT-500ML",
        name: "俄罗斯谷物蒸馏酒",
        brand: "Белый медведь",
        specification: "500毫升/瓶，40%vol",
        hs_code: "2208909099",
        origin: "344",
        unit1: "095",
        unit2: Some("035"),
        price: "120",
        currency: "142",
        barcode: None,
        regional_brand: false,
        stage: Stage::Submitted,
    },
    DemoGood {
        owner: "2224960009",
        item_no: "HC-PINE-POLLEN-200G",
        name: "长白山松花粉",
        brand: "珲春长白",
        specification: "200克/罐",
        hs_code: "0410902900",
        origin: "142",
        unit1: "035",
        unit2: None,
        price: "88",
        currency: "142",
        barcode: None,
        regional_brand: true,
        stage: Stage::Submitted,
    },
    DemoGood {
        owner: "2224960006",
        item_no: "KR-MASK-10P",
        name: "韩国面膜",
        brand: "Seoul Dew",
        specification: "10片/盒",
        hs_code: "3304990049",
        origin: "133",
        unit1: "035",
        unit2: Some("011"),
        price: "89",
        currency: "142",
        barcode: None,
        regional_brand: false,
        stage: Stage::Draft,
    },
];

/// Files the demo goods, each taken as far as its stage says: submitted by
/// its owner's user, approved by the customs officer.
async fn commodities(
    tx: &mut kuajing_store::WriteTx,
    ids: &std::collections::HashMap<String, String>,
) -> Result<(), DemoError> {
    let customs = demo_actor("customs")?;
    for good in GOODS {
        let org = organisations::find_by_code(tx, good.owner)
            .await?
            .filter(|o| ids.contains_key(o.customs_code.as_str()))
            .ok_or(DemoError::Invalid {
                code: good.owner,
                message: "owner of a demo good is not in the set".into(),
            })?;
        let owner = Actor {
            organisation_code: Some(org.customs_code.to_string()),
            organisation_name: Some(org.name.clone()),
            roles: org.roles,
            ..demo_actor_named(good.owner)
        };
        let input = CommodityInput {
            item_no: good.item_no.into(),
            name: good.name.into(),
            specification: Some(good.specification.into()),
            brand: Some(good.brand.into()),
            hs_code: good.hs_code.into(),
            origin_country: good.origin.into(),
            declared_elements: None,
            unit1: good.unit1.into(),
            unit2: good.unit2.map(Into::into),
            reference_price: good.price.into(),
            currency: good.currency.into(),
            barcode: good.barcode.map(Into::into),
            regional_brand: good.regional_brand,
        };
        let steps: Vec<(&Actor, Step)> = match good.stage {
            Stage::Draft => vec![],
            Stage::Submitted => vec![(&owner, Step::Submit)],
            Stage::Active => vec![(&owner, Step::Submit), (&customs, Step::Approve)],
        };
        filing::seed_commodity(tx, &owner, &org, &input, &steps)
            .await
            .map_err(|e| DemoError::Invalid {
                code: good.owner,
                message: format!("{}: {e}", good.item_no),
            })?;
    }
    Ok(())
}

/// The demo user of `role`'s login as an actor (no session: the demo load).
fn demo_actor(login: &'static str) -> Result<Actor, DemoError> {
    let user = USERS
        .iter()
        .find(|u| u.login == login)
        .ok_or(DemoError::Invalid {
            code: "demo",
            message: format!("no demo user {login}"),
        })?;
    Ok(Actor {
        organisation_code: Some(user.organisation.to_owned()),
        roles: RoleSet::EMPTY.with(user.role),
        ..demo_actor_named(user.organisation)
    })
}

/// An actor of the demo load, acting as the user of organisation `code` (or
/// the system where the organisation has no demo user).
fn demo_actor_named(code: &str) -> Actor {
    let user = USERS.iter().find(|u| u.organisation == code);
    Actor {
        kind: kuajing_store::audit::ActorKind::User,
        name: user.map_or_else(|| "system".to_owned(), |u| u.login.to_owned()),
        display_name: user.map(|u| u.display_name.to_owned()),
        ..Actor::system()
    }
}

/// One demo user: a sign-in for one role.
pub struct DemoUser {
    /// Sign-in name.
    pub login: &'static str,
    /// The person's (fictitious) name.
    pub display_name: &'static str,
    /// Customs code of the organisation.
    pub organisation: &'static str,
    /// The role this sign-in shows.
    pub role: Role,
}

/// A user for each role, in [`Role::ALL`] order.
pub const USERS: &[DemoUser] = &[
    DemoUser {
        login: "ebp",
        display_name: "杨帆",
        organisation: "2224960001",
        role: Ebp,
    },
    DemoUser {
        login: "ebc",
        display_name: "高娜",
        organisation: "2224960004",
        role: Ebc,
    },
    DemoUser {
        login: "payment",
        display_name: "胡晓梅",
        organisation: "2224960101",
        role: Payment,
    },
    DemoUser {
        login: "logistics",
        display_name: "方勇",
        organisation: "2224960201",
        role: Logistics,
    },
    DemoUser {
        login: "declarer",
        display_name: "萧敏",
        organisation: "2224980301",
        role: Declarer,
    },
    DemoUser {
        login: "warehouse",
        display_name: "魏强",
        organisation: "2224560401",
        role: Warehouse,
    },
    DemoUser {
        login: "border-trader",
        display_name: "白雪",
        organisation: "2224970501",
        role: BorderTrader,
    },
    DemoUser {
        login: "customs",
        display_name: "金振国",
        organisation: "2224G10001",
        role: Customs,
    },
    DemoUser {
        login: "tax",
        display_name: "李慧敏",
        organisation: "2224G10002",
        role: Tax,
    },
    DemoUser {
        login: "forex",
        display_name: "朴成浩",
        organisation: "2224G10003",
        role: Forex,
    },
    DemoUser {
        login: "commerce",
        display_name: "王立新",
        organisation: "2224G10004",
        role: Commerce,
    },
    DemoUser {
        login: "market-regulation",
        display_name: "赵雅琴",
        organisation: "2224G10005",
        role: MarketRegulation,
    },
    DemoUser {
        login: "post",
        display_name: "崔明哲",
        organisation: "2224G10006",
        role: Post,
    },
    DemoUser {
        login: "transport",
        display_name: "孙建军",
        organisation: "2224G10007",
        role: Transport,
    },
    DemoUser {
        login: "bank",
        display_name: "刘晓东",
        organisation: "2224G10008",
        role: Bank,
    },
    DemoUser {
        login: "insurance",
        display_name: "张丽华",
        organisation: "2224G10009",
        role: Insurance,
    },
    DemoUser {
        login: "zone-admin",
        display_name: "陈志远",
        organisation: "2224G10010",
        role: ZoneAdmin,
    },
];

/// Why the demo set could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The database already holds other data.
    #[error(
        "the database already holds data that is not the demo set; --demo needs an empty database"
    )]
    NotEmpty,
    /// A demo record broke a rule (a bug in this file).
    #[error("demo record {code}: {message}")]
    Invalid {
        /// Customs code of the record.
        code: &'static str,
        /// What was wrong.
        message: String,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing or filing failed.
    #[error("{0}")]
    Server(#[from] kuajing_server::Error),
    /// A demo parcel was not cleared as its story says (a bug).
    #[error(transparent)]
    Clearance(#[from] crate::demo_clearance::DemoClearanceError),
}

/// What a demo load did.
#[derive(Debug, PartialEq, Eq)]
pub enum Loaded {
    /// Loaded into an empty database: this many organisations and users.
    Fresh {
        /// Organisations filed.
        organisations: usize,
        /// Users created.
        users: usize,
    },
    /// The database already held the demo set; nothing changed.
    AlreadyThere,
}

/// The organisations of the demo set, parsed and checked.
pub fn organisations() -> Result<Vec<NewOrganisation>, DemoError> {
    ORGANISATIONS.iter().map(parse).collect()
}

fn parse(org: &DemoOrg) -> Result<NewOrganisation, DemoError> {
    let invalid = |message: String| DemoError::Invalid {
        code: org.code,
        message,
    };
    let uscc = if org.uscc_prefix.is_empty() {
        None
    } else {
        Some(Uscc::from_parts(org.uscc_prefix, org.uscc_body).map_err(|e| invalid(e.to_string()))?)
    };
    Ok(NewOrganisation {
        customs_code: CustomsCode::parse(org.code).map_err(|e| invalid(e.to_string()))?,
        name: org.name.to_owned(),
        name_en: Some(org.name_en.to_owned()),
        uscc,
        roles: org.roles.iter().copied().collect::<RoleSet>(),
        park: Some(org.park.to_owned()),
        address: Some(org.address.to_owned()),
        contact_name: Some(org.contact.to_owned()),
        contact_phone: Some(org.phone.to_owned()),
        is_demo: true,
    })
}

/// Loads the demo set into an empty database, all in one transaction; does
/// nothing if the demo set is already there; refuses a database holding other
/// data.
pub async fn load(store: &Store) -> Result<Loaded, DemoError> {
    let mut conn = store.reader().await?;
    let already = settings::get(&mut conn, settings::DEMO).await?.is_some();
    let any = organisations::any_exist(&mut conn).await?;
    drop(conn);
    if already {
        return Ok(Loaded::AlreadyThere);
    }
    if any {
        return Err(DemoError::NotEmpty);
    }
    let orgs = organisations()?;
    // Hash before the transaction: Argon2 is deliberately slow and the write
    // lock should not wait for it.
    let hashing = password::Hashing::new(password::HashingSettings::default());
    let mut hashes = Vec::with_capacity(USERS.len());
    for _ in USERS {
        hashes.push(hashing.hash(DEMO_PASSWORD).await?);
    }
    let now = Timestamp::now();
    let mut tx = store.begin().await?;
    let mut ids = std::collections::HashMap::new();
    for new in &orgs {
        let org = organisations::insert(&mut tx, new, now).await?;
        ids.insert(new.customs_code.to_string(), org.id);
    }
    for (seller, agent) in AGENTS {
        let (Some(seller_id), Some(agent_id)) = (ids.get(*seller), ids.get(*agent)) else {
            return Err(DemoError::Invalid {
                code: seller,
                message: format!("agent {agent} is not in the set"),
            });
        };
        organisations::set_agent(&mut tx, seller_id, agent_id).await?;
    }
    // Every organisation's enterprise filing, approved by the zone
    // administration that set up the zone.
    let system = Actor::system();
    for new in &orgs {
        let org = organisations::find_by_code(&mut tx, new.customs_code.as_str())
            .await?
            .ok_or(DemoError::Invalid {
                code: "demo",
                message: format!("{} vanished", new.customs_code),
            })?;
        filing::file_approved_enterprise(&mut tx, &system, &org, now).await?;
    }
    commodities(&mut tx, &ids).await?;
    for (user, hash) in USERS.iter().zip(hashes) {
        let organisation_id = ids
            .get(user.organisation)
            .cloned()
            .ok_or(DemoError::Invalid {
                code: user.organisation,
                message: format!("user {} names an organisation not in the set", user.login),
            })?;
        let new = NewUser {
            organisation_id,
            login: user.login.to_owned(),
            display_name: user.display_name.to_owned(),
            password_hash: hash,
        };
        users::insert(&mut tx, &new, now).await?;
    }
    settings::put(&mut tx, settings::DEMO, &now.to_string()).await?;
    let detail = format!("{} organisations, {} users", orgs.len(), USERS.len());
    let entry = NewAuditEntry {
        actor_kind: ActorKind::System,
        actor_id: None,
        actor_name: Some("system"),
        organisation_code: None,
        action: "demo.load",
        target: None,
        outcome: Outcome::Success,
        ip: None,
        detail: Some(&detail),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    crate::demo_clearance::load(store).await?;
    Ok(Loaded::Fresh {
        organisations: orgs.len(),
        users: USERS.len(),
    })
}

/// Whether the database holds the demo set.
pub async fn is_loaded(store: &Store) -> Result<bool, StoreError> {
    let mut conn = store.reader().await?;
    Ok(settings::get(&mut conn, settings::DEMO).await?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuajing_core::role::RoleKind;

    #[test]
    fn every_record_is_well_formed_and_unique() {
        let orgs = organisations().unwrap();
        let mut codes: Vec<_> = orgs.iter().map(|o| o.customs_code.to_string()).collect();
        let mut usccs: Vec<_> = orgs.iter().filter_map(|o| o.uscc.clone()).collect();
        codes.sort();
        codes.dedup();
        usccs.sort();
        usccs.dedup();
        assert_eq!(codes.len(), orgs.len(), "customs codes are unique");
        assert_eq!(
            usccs.len(),
            orgs.iter().filter(|o| o.uscc.is_some()).count(),
            "USCCs are unique"
        );
        for org in &orgs {
            if let Some(uscc) = &org.uscc {
                assert!(Uscc::parse(uscc.as_str()).is_ok());
            }
        }
    }

    #[test]
    fn about_forty_enterprises_cover_every_role_and_each_role_has_a_user() {
        let orgs = organisations().unwrap();
        let enterprises = orgs
            .iter()
            .filter(|o| o.roles.iter().all(|r| r.kind() == RoleKind::Enterprise))
            .count();
        assert!(
            (35..=45).contains(&enterprises),
            "{enterprises} enterprises"
        );
        for &role in Role::ALL {
            assert!(
                orgs.iter().any(|o| o.roles.contains(role)),
                "no organisation is {role}"
            );
            let user = USERS.iter().find(|u| u.role == role).unwrap();
            let org = orgs
                .iter()
                .find(|o| o.customs_code.as_str() == user.organisation)
                .unwrap();
            assert!(org.roles.contains(role), "{} is not {role}", user.login);
        }
        assert_eq!(USERS.len(), Role::ALL.len());
    }
}

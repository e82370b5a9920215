#!/usr/bin/env python3
"""Deterministic generator of kefu's synthetic complaint tickets (examples/data/tickets.csv).

Every row is one customer-service ticket with the facts vocabulary of docs/requirements.md §10: business,
side, channel, category, the customer's own words in simplified Chinese (a few in traditional
characters or with full-width digits, about 15% with a docs/requirements.md §6 risk word), receipt instant
(+08:00, 2025-12-01..2026-03-31, Spring Festival 2026 included), purchase date, amounts in yuan
with two decimals, customer tier and flags, goods facts, and a synthetic name and mobile number
(personal data that kefu must mask). The distributions exercise every reference decision of
docs/requirements.md §11: refund rules 1-10, risk levels normal/high/critical, tiers A-D and L1-L3.

Python 3.11 standard library only; one ``random.Random(seed)`` drives everything, so the same
``--count`` and ``--seed`` always give a byte-identical file.

    python3 examples/generate_tickets.py [--count 3000] [--seed 20261123] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "examples" / "data" / "tickets.csv"
DEFAULT_COUNT = 3000
DEFAULT_SEED = 20261123

#: Column order of the CSV (names are the docs/requirements.md §10 contract).
COLUMNS = [
    "ticket_id", "business", "side", "channel", "category", "text", "received_at", "purchased_at",
    "claimed_amount", "order_amount", "customer_tier", "vip", "collective", "repeat_complaints",
    "has_receipt", "used", "packaging_intact", "resalable", "item_class", "defect_disclosed",
    "warranty_repairs", "misuse", "unauthorized_dismantle", "warranty_card_valid", "model_mismatch",
    "force_majeure", "merchant_error", "duplicate_confirmed", "mischarge_confirmed",
    "cold_chain_break_confirmed", "customer_name", "customer_phone",
]

TZ = dt.timezone(dt.timedelta(hours=8))
FIRST_DAY = dt.date(2025, 12, 1)
LAST_DAY = dt.date(2026, 3, 31)
SPRING_FESTIVAL = (dt.date(2026, 2, 15), dt.date(2026, 2, 23))

# --------------------------------------------------------------------------------------------
# Businesses, categories, channels
# --------------------------------------------------------------------------------------------

BUSINESS_WEIGHTS = {"ecommerce": 34, "mall": 26, "smart_counter": 20, "fresh": 20}

CATEGORY_WEIGHTS: dict[str, dict[str, float]] = {
    "ecommerce": {
        "consultation": 10, "order_query": 11, "refund_request": 20, "logistics_delay": 13,
        "payment_failure": 6, "service_attitude": 7, "quality_defect": 16, "wrong_item": 9,
        "late_delivery": 8,
    },
    "mall": {
        "quality_defect": 20, "service_attitude": 11, "billing_error": 10, "wrong_item": 8,
        "late_delivery": 7, "safety_injury": 6, "refund_request": 28, "consultation": 10,
    },
    "smart_counter": {
        "abnormal_order": 14, "duplicate_charge": 14, "delayed_charge": 14, "quality_defect": 8,
        "expiry": 10, "order_query": 8, "refund_request": 9,
    },
    "fresh": {
        "live_seafood_dead": 12, "spoiled_on_arrival": 16, "ripening": 10, "cold_chain_break": 10,
        "organic_dispute": 6, "out_of_stock": 8, "quality_defect": 12, "refund_request": 14,
        "late_delivery": 12,
    },
}
MERCHANT_CATEGORIES = {
    "counter_operation": 22, "contract": 12, "rent_settlement": 18, "equipment_fault": 28, "restocking": 20,
}
MERCHANT_SHARE = 0.25  # of smart_counter tickets

CHANNEL_WEIGHTS = {
    "ecommerce": {"online": 46, "phone": 20, "email": 8, "wecom": 11, "social": 15},
    "mall": {"store": 45, "phone": 24, "online": 12, "wecom": 9, "social": 7, "email": 3},
    "smart_counter": {"online": 52, "phone": 28, "wecom": 12, "social": 8},
    "fresh": {"online": 42, "phone": 24, "store": 14, "wecom": 12, "social": 8},
    "merchant": {"merchant_platform": 60, "phone": 25, "wecom": 15},
}

# Hour-of-day weights (local time): quiet at night, peaks late morning, afternoon and evening.
HOUR_WEIGHTS = [1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 2.2, 4.0, 6.0, 8.0, 8.0,
                7.0, 6.0, 7.0, 8.0, 8.0, 7.0, 6.0, 7.0, 8.5, 8.5, 6.0, 3.0]
CHANNEL_HOURS = {"phone": range(8, 22), "store": range(10, 22)}  # others: round the clock

# --------------------------------------------------------------------------------------------
# Products: (name, lowest price, highest price, defects, item_class)
# --------------------------------------------------------------------------------------------

Product = tuple[str, int, int, tuple[str, ...], str]

ECOMMERCE_PRODUCTS: list[Product] = [
    ("蓝牙耳机", 99, 899, ("左耳没有声音", "充不进电", "连接总是断开"), "normal"),
    ("电饭煲", 199, 899, ("煮饭底部糊了", "通电没反应", "内胆涂层脱落"), "normal"),
    ("扫地机器人", 999, 3999, ("开机就报错", "不能自动回充", "边刷不转"), "normal"),
    ("运动鞋", 199, 1299, ("鞋底开胶", "穿了一次就开线"), "normal"),
    ("羽绒服", 399, 2599, ("一直往外钻毛", "拉链拉不上"), "normal"),
    ("空气炸锅", 199, 699, ("加热不均匀", "有很大的塑料味"), "normal"),
    ("笔记本电脑", 3999, 9999, ("屏幕有亮点", "频繁蓝屏", "键盘有几个键失灵"), "normal"),
    ("电动牙刷", 99, 599, ("充满电只能用一天", "刷头松动"), "normal"),
    ("保温杯", 49, 199, ("根本不保温", "杯盖漏水"), "normal"),
    ("床上四件套", 129, 699, ("洗一次就严重掉色", "有很多线头"), "normal"),
    ("机械键盘", 199, 899, ("好几个键连击", "背光不亮"), "normal"),
    ("显示器", 699, 2999, ("屏幕有坏点", "画面一直闪烁"), "normal"),
    ("手机", 1999, 6999, ("充电特别烫", "信号时有时无", "摄像头对不上焦"), "normal"),
    ("面霜", 99, 899, ("用完脸上起红点", "里面结块了"), "normal"),
    ("儿童书包", 99, 399, ("背带断了", "拉链坏了"), "normal"),
]
MALL_PRODUCTS: list[Product] = [
    ("羊绒大衣", 1299, 5999, ("起球严重", "洗后缩水"), "normal"),
    ("真皮皮鞋", 599, 2599, ("鞋面开裂", "鞋跟脱落"), "normal"),
    ("金项链", 2999, 12999, ("搭扣断了", "表面掉色"), "normal"),
    ("真丝围巾", 299, 1299, ("抽丝了", "掉色严重"), "normal"),
    ("儿童推车", 899, 3999, ("刹车失灵", "折叠时卡住"), "normal"),
    ("电视机", 2999, 8999, ("屏幕漏光", "开机黑屏"), "normal"),
    ("冰箱", 2599, 7999, ("不制冷", "噪音特别大"), "normal"),
    ("行李箱", 399, 1999, ("轮子掉了", "拉杆卡住"), "normal"),
    ("手表", 399, 3999, ("走时不准", "表镜起雾"), "normal"),
    ("化妆品套装", 399, 1599, ("用后皮肤发红", "瓶子漏液"), "normal"),
    ("运动服", 299, 999, ("洗后掉色", "裤腿开线"), "normal"),
    ("榨汁机", 199, 799, ("刀头不转", "底座漏水"), "normal"),
    ("衬衫", 199, 899, ("纽扣掉了", "领口变形"), "normal"),
    ("毛衣", 299, 1299, ("起球严重", "洗后变形"), "normal"),
]
COUNTER_PRODUCTS: list[Product] = [
    ("矿泉水", 2, 4, ("瓶盖漏了", "瓶身破损"), "normal"),
    ("可乐", 3, 5, ("罐子瘪了漏液", "没有气"), "normal"),
    ("酸奶", 6, 12, ("胀袋了", "味道发酸"), "fresh"),
    ("三明治", 8, 18, ("面包发硬", "里面有异物"), "fresh"),
    ("饭团", 6, 12, ("米饭是馊的", "包装破了"), "fresh"),
    ("鲜牛奶", 6, 15, ("结块了", "味道发酸"), "fresh"),
    ("咖啡", 8, 25, ("瓶盖打不开", "味道很奇怪"), "normal"),
    ("薯片", 6, 12, ("包装漏气", "里面全是碎渣"), "normal"),
    ("能量饮料", 5, 8, ("瓶盖漏了", "颜色浑浊"), "normal"),
    ("面包", 5, 15, ("长了霉点", "已经发硬"), "fresh"),
    ("果切", 10, 25, ("水果发黑", "有股酸味"), "fresh"),
]
FRESH_PRODUCTS: list[Product] = [
    ("车厘子", 99, 399, ("好多颗是软烂的", "有磕碰"), "fresh"),
    ("草莓", 39, 129, ("压烂了一半", "长了白毛"), "fresh"),
    ("芒果", 29, 99, ("里面发黑", "有虫眼"), "fresh"),
    ("牛油果", 29, 79, ("切开是黑的", "果肉有黑丝"), "fresh"),
    ("猕猴桃", 29, 89, ("一捏就烂", "有酒味"), "fresh"),
    ("香蕉", 9, 29, ("全是黑斑", "一碰就烂"), "fresh"),
    ("榴莲", 199, 599, ("果肉很少", "已经发酸"), "fresh"),
    ("橙子", 29, 89, ("有几个烂了", "水分很少"), "fresh"),
    ("菠菜", 6, 15, ("叶子发黄", "烂叶很多"), "fresh"),
    ("西红柿", 8, 20, ("压坏了好几个", "有烂斑"), "fresh"),
    ("大闸蟹", 199, 899, ("肉是空的", "有异味"), "live_seafood"),
    ("鲈鱼", 39, 99, ("肉质发软", "有异味"), "live_seafood"),
    ("基围虾", 59, 199, ("虾头发黑", "有一股臭味"), "live_seafood"),
    ("帝王蟹", 899, 2999, ("腿断了好几条", "肉是空的"), "live_seafood"),
    ("波士顿龙虾", 299, 999, ("尾巴发黑", "肉质发软"), "live_seafood"),
    ("花甲", 19, 49, ("全是沙子", "一半是空壳"), "live_seafood"),
    ("鲍鱼", 99, 499, ("个头比图片小很多", "有异味"), "live_seafood"),
    ("冷冻牛排", 99, 399, ("有一股哈喇味", "颜色发暗"), "cold_chain"),
    ("速冻水饺", 29, 69, ("全粘在一起了", "破皮很多"), "cold_chain"),
    ("冰淇淋", 29, 99, ("化了又冻上", "变形了"), "cold_chain"),
    ("冷鲜鸡", 39, 89, ("有异味", "颜色发暗"), "cold_chain"),
    ("三文鱼", 129, 399, ("颜色发白", "有腥臭味"), "cold_chain"),
    ("冻虾仁", 59, 159, ("冰衣特别厚", "有异味"), "cold_chain"),
]
RIPENING_FRUITS = ("芒果", "牛油果", "猕猴桃", "香蕉", "榴莲")
ORGANIC_GOODS = [("菠菜", 19, 39), ("胡萝卜", 15, 29), ("西兰花", 19, 39), ("大米", 59, 199),
                 ("鸡蛋", 39, 99), ("小白菜", 15, 29)]

COUNTER_LOCATIONS = ["写字楼A座大堂", "地铁站B口", "人民医院门诊楼", "大学图书馆", "科技园3号楼",
                     "体育馆入口", "火车站候车厅", "公寓一楼", "产业园食堂", "高铁站出站口"]
MALL_PLACES = ["一楼扶梯口", "三楼儿童区", "负一楼超市", "二楼女装区", "停车场电梯口", "五楼美食广场"]
COURIERS = ["顺丰", "中通", "圆通", "韵达", "京东物流", "邮政"]

# Businesses selling durable goods, and the goods that come with a warranty card (三包).
DURABLE_BUSINESSES = {"ecommerce", "mall"}
WARRANTY_GOODS = {"蓝牙耳机", "电饭煲", "扫地机器人", "空气炸锅", "笔记本电脑", "电动牙刷", "机械键盘", "显示器",
                  "手机", "保温杯", "儿童推车", "电视机", "冰箱", "行李箱", "手表", "榨汁机"}
# Categories where several customers may complain together (集体投诉).
COLLECTIVE_CATEGORIES = {"quality_defect", "expiry", "spoiled_on_arrival", "live_seafood_dead", "cold_chain_break",
                         "safety_injury", "late_delivery", "service_attitude", "duplicate_charge", "abnormal_order",
                         "organic_dispute", "billing_error"}
# 退一赔十 (food-safety law): a claim of ten times the price.
TEN_FOLD = ["{when}在售货柜买的{p}过期了，要求退一赔十", "卖过期的{p}，按规定要退一赔十，共{amt}",
            "在{loc}买到过期{p}，要求十倍赔偿"]
GOODS_CATEGORIES = {"refund_request", "quality_defect", "wrong_item", "late_delivery", "billing_error", "expiry"}

# --------------------------------------------------------------------------------------------
# Text templates. Slots: {p} product, {amt} amount, {when} purchase day, {d} defect, {order}
# order number, {loc} counter site, {cid} counter number, {n} small number, {place} mall place,
# {courier} courier. Base templates never contain a risk word; those come from RISK_PHRASES.
# --------------------------------------------------------------------------------------------

T = dict[str, list[str]]
TEMPLATES: dict[str, T] = {
    "consultation": {
        "ecommerce": [
            "请问{p}支持七天无理由退换吗？",
            "想问一下{p}有没有现货，今天下单什么时候发货？",
            "{p}的保修期是多久，需要保留发票吗？",
            "请问{p}可以开增值税专用发票吗？",
            "你好，{p}有几种规格可以选？能不能送货上门？",
            "我想了解一下{p}现在有没有满减活动",
            "{p}和上一代有什么区别，值得换吗？",
        ],
        "mall": [
            "请问商场几点营业，会员停车怎么收费？",
            "你好，{p}专柜在几楼？现在有没有会员折扣？",
            "请问在你们商场买的{p}可以异地保修吗？",
            "积分怎么兑换礼品，{p}能用积分抵扣吗？",
            "想问一下{p}能不能先预留，周末过去买",
            "请问商场有没有母婴室和儿童推车租借？",
        ],
    },
    "order_query": {
        "ecommerce": [
            "订单{order}显示已付款，但是一直看不到物流信息",
            "我{when}买的{p}现在到哪了，订单号{order}",
            "帮我查一下订单{order}的状态，页面一直显示处理中",
            "我的订单{order}什么时候能发货？已经等了{n}天",
            "下单的{p}显示已签收，可我根本没收到",
        ],
        "smart_counter": [
            "刚才在{loc}的柜子拿了{p}，怎么没看到订单记录？",
            "{when}在{loc}买的{p}，小程序里查不到订单",
            "麻烦查一下我{when}在售货柜的消费记录，金额是{amt}",
            "柜子显示支付成功，但是订单列表里是空的",
        ],
    },
    "refund_request": {
        "ecommerce": [
            "{p}收到后不太喜欢，还没拆封，想申请退货退款",
            "{when}买的{p}不太合适，想退货，包装都还在",
            "申请仅退款，{p}还没发货我就不要了，{amt}请退回原账户",
            "我的{p}退货申请提交{n}天了还没审核，麻烦尽快处理",
            "{p}和想象的不一样，申请七天无理由退货，订单号{order}",
            "{when}下单的{p}，已经寄回去了，退款{amt}什么时候到账？",
        ],
        "mall": [
            "{when}在商场买的{p}，回家后觉得不合适，小票还在，想退",
            "{when}在二楼专柜买的{p}，花了{amt}，家人不喜欢想退掉",
            "买的{p}包装都没拆，能不能退货？",
            "在你们商场买的{p}想退，专柜说要找客服中心",
            "{p}买贵了，隔壁店便宜很多，小票在，能退吗？",
        ],
        "smart_counter": [
            "在{loc}的售货柜买的{p}拿错了，没打开，能退{amt}吗？",
            "{when}在柜子里多拿了一个{p}，还没开封，申请退款",
            "误买了{p}，麻烦退款{amt}",
        ],
        "fresh": [
            "{p}买多了，还没拆封，能不能退{amt}？",
            "订的{p}不想要了，申请退款{amt}",
            "{when}下单的{p}重复下了两单，想退一单",
            "{p}分量比页面写的少，要求退差价",
        ],
    },
    "abnormal_order": {
        "smart_counter": [
            "在{loc}拿了{p}又放回去了，结果还是扣了{amt}",
            "柜门打开后我什么都没拿，系统却生成了{amt}的订单",
            "买东西的时候旁边的人挡住了摄像头，订单里多了一件{p}",
            "取出{p}看了看又放回原位，为什么还扣费{amt}？",
            "结算的商品跟我拿的不一样，我只拿了{p}",
            "关门后订单一直显示异常，扣了{amt}不知道买了什么",
        ],
    },
    "duplicate_charge": {
        "smart_counter": [
            "在{loc}的柜子买了{p}，被重复扣了两次{amt}",
            "一笔订单扣了我两次钱，每次{amt}，麻烦核实退款",
            "微信支付显示扣款两笔，都是{amt}，我只拿了一瓶{p}",
            "{when}在售货柜买{p}，银行卡被扣了两次",
        ],
    },
    "delayed_charge": {
        "smart_counter": [
            "{when}在售货柜买的{p}，今天才扣款{amt}，金额还不对",
            "隔了好几天突然扣了我{amt}，我不记得买过这么多",
            "延时扣费{amt}，我那天只拿了一个{p}",
            "{when}在{loc}开过柜门，今天莫名其妙扣了{amt}",
        ],
    },
    "quality_defect": {
        "ecommerce": [
            "{when}买的{p}，{d}，要求处理",
            "{p}{d}，才买回来没多久，这质量让人失望",
            "收到的{p}{d}，订单号{order}，怎么处理？",
            "{when}收到的{p}{d}，申请退货",
        ],
        "mall": [
            "{when}在商场买的{p}，{d}，要求专柜给个说法",
            "{p}{d}，在你们商场花了{amt}买的",
            "{when}买的{p}就{d}，专柜让我自己找厂家",
            "在专柜买的{p}{d}，小票还在，要求退换",
        ],
        "smart_counter": [
            "在{loc}的柜子买的{p}{d}",
            "{when}在售货柜买的{p}，打开发现{d}",
            "柜子里买的{p}{d}，要求退款{amt}",
        ],
        "fresh": [
            "收到的{p}{d}，跟页面图片差太多",
            "{when}买的{p}{d}，要求退款",
            "{p}{d}，花了{amt}买的，太让人失望了",
        ],
    },
    "quality_defect_repaired": {
        "*": [
            "{p}{d}，保修期内已经修了{r}次还是不行，要求换货或退款",
            "{when}买的{p}，修了{r}次了还是{d}，不想再修了",
            "{p}送修{r}次，现在又{d}，要求换新",
        ],
    },
    "expiry": {
        "smart_counter": [
            "在{loc}买的{p}已经过期{n}天了还在卖",
            "{p}的生产日期是上个月的，已经过了保质期",
            "刚买的{p}尝了一口味道不对，一看已经过期了",
        ],
    },
    "logistics_delay": {
        "ecommerce": [
            "{p}显示发货{n}天了，物流一直没有更新",
            "{courier}快递停在中转站{n}天不动了，订单号{order}",
            "物流显示派送中已经两天了，还没收到{p}",
            "下单{n}天了还在揽收状态，{p}到底发没发？",
            "{courier}的物流信息三天没变，麻烦帮我催一下",
        ],
    },
    "payment_failure": {
        "ecommerce": [
            "付款的时候一直提示支付失败，但是银行卡扣了{amt}",
            "下单{p}付款不成功，试了好几次都不行",
            "支付页面卡住了，钱扣了订单却显示未付款",
            "用花呗付{amt}一直失败，换了银行卡也不行",
        ],
    },
    "service_attitude": {
        "ecommerce": [
            "打了好几次电话，客服说话很冲，还直接挂我电话",
            "在线客服一直复制粘贴，根本不看我的问题",
            "问了三次退货进度，客服每次都说再等等",
            "客服承诺当天回电，结果{n}天都没人联系我",
        ],
        "mall": [
            "专柜的店员爱答不理，问了三遍都不回答",
            "收银员当着其他顾客的面大声指责我，让人很难堪",
            "在{place}问路，保安很不耐烦地挥手让我走开",
            "试了两件{p}，店员就开始甩脸色",
        ],
    },
    "billing_error": {
        "mall": [
            "收银台多收了我{amt}，小票上{p}扫了两次",
            "打折的{p}结账时按原价收的，差了{amt}",
            "会员折扣没有计算，多付了{amt}",
            "{when}在超市结账，价签和收银价格不一样，多收{amt}",
        ],
    },
    "wrong_item": {
        "ecommerce": [
            "买的是{p}，送来的却是别的型号",
            "{p}的规格发错了，订单号{order}",
            "收到的{p}跟页面描述不一样，货不对板",
            "我买的是新款{p}，收到的是旧款",
        ],
        "mall": [
            "在专柜订的{p}，送到家发现不是我选的那款",
            "{when}买的{p}，打包时被换成了展示样品",
            "商场配送的{p}型号不对，跟小票上的不一致",
        ],
    },
    "late_delivery": {
        "ecommerce": [
            "承诺{when}送达的{p}，到现在还没送到",
            "说好次日达，{p}等了{n}天还没到",
            "{p}超过承诺的送达时间了，订单号{order}",
        ],
        "mall": [
            "约好{when}送货上门的{p}，到现在还没送到",
            "商场说三天内送货安装{p}，已经过了{n}天",
            "等了一整天，{p}的送货师傅一直没来",
        ],
        "fresh": [
            "说好两小时送达，等了{n}个小时还没到",
            "预约了上午送菜，{p}到下午才送来",
            "下单的{p}超时{n}个小时才送到，都不新鲜了",
        ],
    },
    "safety_injury": {
        "mall": [
            "在商场{place}的扶梯上摔倒了，膝盖擦破流血",
            "孩子在{place}被展示架的尖角划破了手",
            "试衣间的镜子掉下来砸到了我的脚",
            "{place}地面刚拖过没有提示牌，我滑倒扭伤了脚踝",
            "{place}的玻璃门突然关上夹到了孩子的手指",
        ],
    },
    "live_seafood_dead": {
        "fresh": [
            "刚收到的{p}打开就已经死了，{amt}买的",
            "买的{n}只{p}送到有一半都死了",
            "配送到家的{p}一动不动，已经发臭了",
            "{p}送来就是死的，说好的鲜活呢？",
        ],
    },
    "spoiled_on_arrival": {
        "fresh": [
            "收到的{p}已经坏了，一股怪味",
            "{p}送到的时候就变质了，根本没法吃",
            "今天配送的{p}发霉了，要求退款或者重新送",
            "{p}{d}，刚送到就这样",
        ],
    },
    "ripening": {
        "fresh": [
            "买的{p}硬得像石头，根本没法吃",
            "{p}放了{n}天还是不熟，是不是坏的？",
            "{p}切开里面是生的，口感发涩",
            "{when}买的{p}一直是青的，要求退款",
        ],
    },
    "cold_chain_break": {
        "fresh": [
            "收到的{p}已经化了，包装里都是水",
            "{p}送到时冰袋全化了，摸起来是温的",
            "{p}解冻后又冻上了，怀疑运输时断了冷链",
            "{p}的保温箱破了，送到时一点都不冰",
        ],
    },
    "organic_dispute": {
        "fresh": [
            "你们卖的有机{p}看不到认证证书，怀疑是假的",
            "有机{p}的价格是普通的三倍，口感完全一样，请出示检测报告",
            "有机{p}包装上的认证编号查不到",
        ],
    },
    "out_of_stock": {
        "fresh": [
            "下单的{p}显示缺货，什么时候能补货？",
            "付了款才告诉我{p}没货了，能不能帮我留一份",
            "每次想买{p}都是售罄，能不能到货提醒我",
        ],
    },
    "counter_operation": {
        "smart_counter": [
            "{loc}的{cid}号柜温度显示{n}度，制冷好像不正常",
            "{cid}号柜的屏幕一直黑屏，顾客没法开门",
            "想调整{loc}点位柜子的商品价格，后台怎么操作？",
            "{loc}的柜子晚上灯不亮，顾客看不清商品",
        ],
    },
    "contract": {
        "smart_counter": [
            "想续签{loc}点位的合作合同，需要准备什么材料？",
            "合同里的分成比例和当初谈的不一样，麻烦确认",
            "{loc}点位合同下个月到期，想提前沟通续约",
        ],
    },
    "rent_settlement": {
        "smart_counter": [
            "上个月{loc}的租金结算少了{amt}，请核对",
            "本月场地租金账单还没出来，影响我们对账",
            "{loc}点位的分成款{amt}迟迟没有到账",
        ],
    },
    "equipment_fault": {
        "smart_counter": [
            "{cid}号柜门锁坏了，打不开也关不上",
            "{loc}的柜子识别不到商品，已经影响营业{n}天",
            "{loc}柜子的摄像头坏了，订单全是异常",
            "{cid}号柜断电了，里面的{p}都放不住",
        ],
    },
    "restocking": {
        "smart_counter": [
            "{loc}的{cid}号柜{p}已经卖空了，申请补货",
            "明天{loc}有活动，需要追加{n}箱{p}",
            "补货单提交{n}天了还没送到，{p}缺货",
        ],
    },
}

# Whole tickets in traditional characters (about 2%), by category. Slots as above.
TRADITIONAL: dict[str, list[str]] = {
    "refund_request": ["我要退貨，東西還沒拆封，請盡快處理", "申請退貨退款{amt}，等了{n}天還沒有人處理",
                       "退貨申請一直沒人審核，再拖我就找律師"],
    "quality_defect": ["買回來沒幾天就壞了，品質太差，要求退貨", "產品有質量問題，再不處理我就找律師起訴你們",
                       "用了以後皮膚過敏，已經去醫院看了"],
    "service_attitude": ["客服說話很不客氣，我要投訴你們", "店員愛理不理，問了好幾遍都不回答"],
    "logistics_delay": ["物流{n}天都沒有更新，請幫我查詢", "快遞一直沒到，再不處理我就找媒體"],
    "order_query": ["請幫我查一下訂單{order}的物流", "訂單顯示已付款，但是查不到發貨記錄"],
    "spoiled_on_arrival": ["收到的水果已經爛了，要求退款", "送來的菜都壞了，吃了以後拉肚子住院了"],
    "expiry": ["買的牛奶已經過期了，孩子喝了以後過敏", "櫃子裡的麵包過期了還在賣"],
    "duplicate_charge": ["同一筆訂單被重複扣款兩次，請退回{amt}"],
    "billing_error": ["結帳時多收了我{amt}，請核實退款"],
    "wrong_item": ["收到的商品和訂單不一樣，要求換貨"],
    "late_delivery": ["說好今天送到，到現在還沒送來", "等了一整天都沒送貨，太離譜了"],
    "live_seafood_dead": ["送來的螃蟹全都死了，我要找媒體曝光"],
    "cold_chain_break": ["冷凍食品送到時已經化了，要求退款"],
    "safety_injury": ["在商場扶梯摔倒受傷了，已經去醫院", "孩子被展示架劃傷了，要求商場負責"],
    "consultation": ["請問這個商品可以七天無理由退貨嗎？", "請問商場幾點營業，週末幾點關門？"],
}

# Risk phrases (docs/requirements.md §6), each containing one risk word, grouped by kind.
RISK_PHRASES: dict[str, list[str]] = {
    "media": ["再不给说法我就去微博曝光", "我要发帖让大家都看看", "不行我就找媒体", "我会在抖音上发视频说这件事",
              "我一定会给负面评价", "我要把这事曝光出去"],
    "regulator": ["我要打12315投诉", "我会去消协反映", "我会向市场监管部门举报", "我已经打了１２３１５",
                  "再拖我就找消协", "我已经向市场监管局反映了"],
    "legal": ["我已经咨询律师了", "不处理我就起诉你们", "大不了法院见", "我会让律师联系你们"],
    "anger": ["客服态度差到极点", "一直拖着不解决", "我要投诉你们", "你们到底解决不解决？", "这么多天了还不解决",
              "门店店员态度差还推卸责任"],
    "food_safety": ["孩子吃了以后腹泻", "吃完全家都腹泻了", "怀疑是食物中毒", "吃了过敏起了一身疹子",
                    "老人吃了已经住院了", "吃完上吐下泻，怀疑中毒了"],
    "injury": ["孩子因此受伤了", "人受伤了还要自己垫医药费", "我已经住院了", "受伤的地方到现在还疼"],
    "skin": ["用了以后过敏，脸上全是红疹"],
}
FOOD_CATEGORIES = {"spoiled_on_arrival", "live_seafood_dead", "cold_chain_break", "expiry"}

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
            "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯"
            "邵孟龙万段钱汤尹黎易常武乔贺赖龚文")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
GIVEN_CHARS = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红晓小丽玉文辉鹏飞婷雪"
               "琳宇浩然子涵欣怡梓轩思远佳慧嘉诚俊峰晨雨欢乐淑珍海燕春梅振东")
MOBILE_PREFIXES = (["13" + str(d) for d in range(10)] + ["150", "151", "152", "153", "155", "156", "157",
                   "158", "159", "170", "173", "175", "176", "177", "178"] + ["18" + str(d) for d in range(10)]
                   + ["191", "193", "195", "198", "199"])

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _price_cents(rng: random.Random, lo: int, hi: int) -> int:
    """A shop-like price between lo and hi yuan, skewed toward the cheap end."""
    yuan = lo + int((hi - lo) * rng.random() ** 2.5)
    return yuan * 100 + rng.choice((0, 0, 0, 90, 50, 99, 80))


def _day_weight(day: dt.date) -> float:
    w = 1.25 if day.weekday() >= 5 else 1.0
    if day == dt.date(2025, 12, 12):
        w *= 1.8  # 双十二 promotion
    if dt.date(2026, 2, 1) <= day < SPRING_FESTIVAL[0]:
        w *= 1.35  # buying 年货 before the festival
    if SPRING_FESTIVAL[0] <= day <= SPRING_FESTIVAL[1]:
        w *= 0.75
    if day == dt.date(2026, 3, 15):
        w *= 1.6  # consumer-rights day
    return w


_DAYS = [FIRST_DAY + dt.timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]
_DAY_WEIGHTS = [_day_weight(d) for d in _DAYS]


def _received_at(rng: random.Random, channel: str) -> dt.datetime:
    day = rng.choices(_DAYS, weights=_DAY_WEIGHTS)[0]
    hours = CHANNEL_HOURS.get(channel, range(24))
    hour = rng.choices(list(hours), weights=[HOUR_WEIGHTS[h] for h in hours])[0]
    return dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=TZ)


def _days_since(rng: random.Random, business: str, category: str, side: str) -> int:
    if side == "merchant":
        return rng.randint(0, 40)
    if category in ("live_seafood_dead", "spoiled_on_arrival", "cold_chain_break"):
        return rng.choices((0, 1, 2), weights=(70, 25, 5))[0]
    if category in ("duplicate_charge", "abnormal_order", "payment_failure", "out_of_stock"):
        return rng.choices((0, 1, 2, 3), weights=(55, 25, 12, 8))[0]
    if category == "delayed_charge":
        return rng.randint(1, 5)
    if category == "ripening":
        return rng.randint(1, 7)
    if category in ("order_query", "logistics_delay", "late_delivery"):
        return rng.randint(1, 15)
    if category == "refund_request" and business == "fresh":
        return rng.randint(0, 3)
    if category == "refund_request":
        r = rng.random()
        return rng.randint(0, 5) if r < 0.5 else rng.randint(0, 10) if r < 0.75 else rng.randint(0, 30)
    # quality_defect, expiry, wrong_item, billing_error, ...: extra mass on 0..10 (3/7-day windows)
    r = rng.random()
    if r < 0.12:
        return rng.choice((6, 7, 7, 8, 8, 9))
    if r < 0.55:
        return rng.randint(0, 10)
    return rng.randint(0, 40)


def _product(rng: random.Random, business: str, category: str, side: str) -> Product:
    if business in ("ecommerce", "mall"):
        pool = ECOMMERCE_PRODUCTS if business == "ecommerce" else MALL_PRODUCTS
        # big-ticket goods (phones, TVs, gold) are a small share of complaints
        return rng.choices(pool, weights=[1.0 if p[2] <= 1300 else 0.12 if p[1] < 1000 else 0.03 for p in pool])[0]
    if business == "smart_counter":
        return rng.choice(COUNTER_PRODUCTS)
    if category == "live_seafood_dead":
        pool = [p for p in FRESH_PRODUCTS if p[4] == "live_seafood"]
    elif category == "cold_chain_break":
        pool = [p for p in FRESH_PRODUCTS if p[4] == "cold_chain"]
    elif category == "ripening":
        pool = [p for p in FRESH_PRODUCTS if p[0] in RIPENING_FRUITS]
    elif category == "organic_dispute":
        name, lo, hi = rng.choice(ORGANIC_GOODS)
        return (name, lo, hi, ("口感一般",), "fresh")
    else:
        pool = FRESH_PRODUCTS
    return rng.choice(pool)


def _when(rng: random.Random, purchased: dt.date, days: int) -> str:
    if days == 0:
        return rng.choice(("今天", "今天上午", "刚才"))
    if days == 1:
        return "昨天"
    if days == 2 and rng.random() < 0.5:
        return "前天"
    if rng.random() < 0.5:
        return f"{days}天前"
    return f"{purchased.month}月{purchased.day}{rng.choice(('日', '号'))}"


def _amount_text(rng: random.Random, cents: int) -> str:
    if cents % 100 == 0 and rng.random() < 0.6:
        return f"{cents // 100}{rng.choice(('元', '元', '块'))}"
    return f"{_money(cents)}元"


def _name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choices((1, 2), weights=(30, 70))[0]))
    return surname + given


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(MOBILE_PREFIXES)
    return prefix + "".join(str(rng.randrange(10)) for _ in range(11 - len(prefix)))


def _risk_kinds(business: str, category: str, item: Product) -> list[str]:
    kinds = ["media", "media", "regulator", "regulator", "legal", "anger", "anger", "anger"]
    if category == "safety_injury":
        kinds += ["injury"] * 8
    elif business in ("fresh", "smart_counter") and category in FOOD_CATEGORIES | {"quality_defect"}:
        kinds += ["food_safety"] * 3
    elif category == "quality_defect" and item[0] in ("面霜", "化妆品套装"):
        kinds += ["skin"] * 4
    elif category == "quality_defect" and item[0] in ("儿童推车", "电动牙刷", "手机", "空气炸锅"):
        kinds += ["injury"]
    return kinds


# --------------------------------------------------------------------------------------------
# One ticket
# --------------------------------------------------------------------------------------------


def _ticket(rng: random.Random) -> dict[str, Any]:
    business = _pick(rng, BUSINESS_WEIGHTS)
    side = "consumer"
    if business == "smart_counter" and rng.random() < MERCHANT_SHARE:
        side = "merchant"
        category = _pick(rng, MERCHANT_CATEGORIES)
        channel = _pick(rng, CHANNEL_WEIGHTS["merchant"])
    else:
        category = _pick(rng, CATEGORY_WEIGHTS[business])
        channel = _pick(rng, CHANNEL_WEIGHTS[business])
    if category == "safety_injury" and rng.random() < 0.6:
        channel = "store"  # injuries are mostly reported at the service desk

    received = _received_at(rng, channel)
    days = _days_since(rng, business, category, side)
    purchased = received.date() - dt.timedelta(days=days)
    item = _product(rng, business, category, side)
    name, lo, hi, defects, item_class = item

    # ----- customer
    tier = rng.choices("ABCD", weights=(12, 26, 38, 24))[0]
    vip = rng.random() < {"A": 0.22, "B": 0.06, "C": 0.01, "D": 0.003}[tier]
    collective = side == "consumer" and category in COLLECTIVE_CATEGORIES and rng.random() < 0.018
    repeat = rng.choices((0, 1, 2, 3, 4), weights=(74, 14, 6, 4, 2))[0]

    # ----- goods facts
    durable = business in DURABLE_BUSINESSES and side == "consumer"
    warranty = durable and name in WARRANTY_GOODS
    if business == "mall" and category in GOODS_CATEGORIES and rng.random() < 0.15:
        item_class = "clearance"
    defect_disclosed = item_class == "clearance" and rng.random() < 0.65
    has_receipt = rng.random() < {"mall": 0.85, "ecommerce": 0.96, "smart_counter": 0.92, "fresh": 0.93}[business]
    used_rate = {
        "refund_request": 0.3, "quality_defect": 0.75 if durable else 0.45, "wrong_item": 0.08,
        "billing_error": 0.2, "expiry": 0.5, "spoiled_on_arrival": 0.15, "ripening": 0.35,
        "live_seafood_dead": 0.05, "cold_chain_break": 0.1, "organic_dispute": 0.5, "late_delivery": 0.05,
        "safety_injury": 0.3,
    }.get(category, 0.0)
    used = side == "consumer" and rng.random() < used_rate
    packaging_intact = rng.random() < (0.35 if used else 0.86)
    resalable = (not used and packaging_intact and rng.random() < 0.9) or rng.random() < 0.03
    if business == "fresh" and item_class != "normal" and category != "out_of_stock":
        resalable = resalable and rng.random() < 0.4  # perishables rarely go back on the shelf

    warranty_repairs = 0
    misuse = dismantle = model_mismatch = force_majeure = False
    if durable and category == "quality_defect":
        misuse = rng.random() < 0.07
        force_majeure = rng.random() < 0.015
        if warranty:
            warranty_repairs = rng.choices((0, 1, 2, 3), weights=(55, 22, 15, 8))[0]
            dismantle = rng.random() < 0.05
            model_mismatch = rng.random() < 0.035
    elif durable and category == "refund_request" and used:
        misuse = rng.random() < 0.05
    if misuse:
        used = True
    warranty_card_valid = warranty and not model_mismatch and rng.random() < 0.8
    merchant_error = rng.random() < {"wrong_item": 0.7, "billing_error": 0.85, "late_delivery": 0.35,
                                     "abnormal_order": 0.2, "logistics_delay": 0.1}.get(category, 0.0)
    duplicate_confirmed = category == "duplicate_charge" and rng.random() < 0.75
    mischarge_confirmed = category == "delayed_charge" and rng.random() < 0.6
    cold_confirmed = category == "cold_chain_break" and rng.random() < 0.65

    # ----- amounts (cents)
    unit = _price_cents(rng, lo, hi)
    qty = rng.choice((1, 1, 1, 2, 3)) if business in ("smart_counter", "fresh") and unit < 30000 else 1
    order = unit * qty
    if business == "smart_counter" and side == "consumer" and rng.random() < 0.35:
        order += _price_cents(rng, 3, 15)  # bought more than one thing
    n_small = rng.randint(2, 6)
    if category in ("counter_operation", "contract"):
        order = claimed = 0  # no order behind the ticket
    elif category == "restocking":
        order, claimed = unit * 24 * n_small, 0  # the restocking order: n boxes of 24
    elif category in ("consultation", "order_query", "logistics_delay"):
        claimed = 0 if rng.random() < 0.9 else min(order, rng.randint(5, 50) * 100)
    elif category == "service_attitude":
        claimed = 0 if rng.random() < 0.8 else min(order, rng.randint(2, 20) * 1000)
    elif category == "billing_error":
        claimed = max(100, int(order * rng.uniform(0.05, 0.5)))
    elif category in ("late_delivery", "organic_dispute"):
        claimed = order if rng.random() < 0.5 else int(order * rng.uniform(0.1, 0.3))
    elif category == "safety_injury":
        claimed = rng.choices((rng.randint(100, 900), rng.randint(200, 1200), rng.randint(500, 6000)),
                              weights=(60, 30, 10))[0] * 100
    elif category == "rent_settlement":
        order = rng.randint(1500, 6000) * 100
        claimed = rng.randint(80, 900) * 100 + rng.choice((0, 50))
        if rng.random() < 0.08:
            claimed = rng.randint(1001, 2400) * 100
    elif category == "equipment_fault":
        order = rng.randint(3000, 12000) * 100
        claimed = 0 if rng.random() < 0.6 else rng.randint(50, 800) * 100
    elif category == "expiry" and rng.random() < 0.15:
        claimed = order * 10  # 退一赔十 under the food-safety law
    elif category in ("live_seafood_dead", "spoiled_on_arrival", "quality_defect") and rng.random() < 0.3:
        claimed = int(order * rng.uniform(0.3, 0.9))
    else:
        claimed = order
    if rng.random() < 0.02 and category in ("quality_defect", "expiry", "spoiled_on_arrival", "live_seafood_dead",
                                            "cold_chain_break", "wrong_item", "organic_dispute"):
        claimed = order * 2  # demands double compensation
    if (business in ("ecommerce", "mall", "fresh") and side == "consumer"
            and category in ("quality_defect", "refund_request", "wrong_item", "safety_injury",
                             "live_seafood_dead", "late_delivery") and rng.random() < 0.015):
        claimed = rng.choice((100000, 100001))  # exactly the ¥1000 boundary
        order = max(order, claimed if rng.random() < 0.5 else claimed + rng.randint(0, 500) * 100)

    # ----- text
    slots = {
        "p": name, "d": rng.choice(defects), "when": _when(rng, purchased, days),
        "amt": _amount_text(rng, claimed if claimed else order), "order": str(rng.randint(10**11, 10**12 - 1)),
        "loc": rng.choice(COUNTER_LOCATIONS), "cid": f"{rng.randint(1, 48):02d}", "n": str(n_small),
        "place": rng.choice(MALL_PLACES), "courier": rng.choice(COURIERS),
        "r": {1: "一", 2: "两", 3: "三"}.get(warranty_repairs, "两"),
    }
    ten_fold = category == "expiry" and claimed == order * 10 and claimed > 0
    text = _text(rng, business, category, item, slots, warranty_repairs, collective, repeat, vip, ten_fold)

    return {
        "business": business, "side": side, "channel": channel, "category": category, "text": text,
        "received_at": received.isoformat(timespec="seconds"), "purchased_at": purchased.isoformat(),
        "claimed_amount": _money(claimed), "order_amount": _money(order), "customer_tier": tier,
        "vip": _bool(vip), "collective": _bool(collective), "repeat_complaints": str(repeat),
        "has_receipt": _bool(has_receipt), "used": _bool(used), "packaging_intact": _bool(packaging_intact),
        "resalable": _bool(resalable), "item_class": item_class, "defect_disclosed": _bool(defect_disclosed),
        "warranty_repairs": str(warranty_repairs), "misuse": _bool(misuse),
        "unauthorized_dismantle": _bool(dismantle), "warranty_card_valid": _bool(warranty_card_valid),
        "model_mismatch": _bool(model_mismatch), "force_majeure": _bool(force_majeure),
        "merchant_error": _bool(merchant_error), "duplicate_confirmed": _bool(duplicate_confirmed),
        "mischarge_confirmed": _bool(mischarge_confirmed), "cold_chain_break_confirmed": _bool(cold_confirmed),
        "customer_name": _name(rng), "customer_phone": _phone(rng),
        "_sort": received,
    }


def _text(rng: random.Random, business: str, category: str, item: Product, slots: dict[str, str],
          warranty_repairs: int, collective: bool, repeat: int, vip: bool, ten_fold: bool) -> str:
    # About 2% in traditional characters: a whole ticket from the traditional pool.
    if category in TRADITIONAL and rng.random() < 0.025:
        return rng.choice(TRADITIONAL[category]).format(**slots)

    by_business = TEMPLATES["quality_defect_repaired"] if (
        category == "quality_defect" and warranty_repairs >= 1 and business in DURABLE_BUSINESSES
        and rng.random() < 0.8) else TEMPLATES[category]
    pool = by_business.get(business) or by_business.get("*") or next(iter(by_business.values()))
    if ten_fold:
        pool = TEN_FOLD

    risk_p = 0.12 + (0.08 if repeat >= 2 else 0.0) + (0.1 if category == "service_attitude" else 0.0)
    risk_p += 0.35 if category == "safety_injury" else 0.0
    risky = rng.random() < risk_p
    prefix_p = rng.random()
    full_width = rng.random() < 0.006
    for _ in range(20):
        base = rng.choice(pool).format(**slots)
        parts_before: list[str] = []
        if collective:
            parts_before.append(rng.choice(("我们小区{n}户一起反映：", "我们{n}个同事都遇到了，", "我们一群人一起来反映，"))
                                .format(n=rng.randint(5, 30)))
        elif repeat >= 1 and prefix_p < 0.25:
            parts_before.append(rng.choice(("这是我第{k}次反映了，", "之前已经反映过{k0}次，", "同样的问题又来了，"))
                                .format(k="二三四五六"[min(repeat, 4) - 1], k0=repeat))
        elif vip and prefix_p < 0.4:
            parts_before.append(rng.choice(("我是你们的金卡会员，", "老会员了，", "我是VIP客户，")))
        text = "".join(parts_before) + base
        if risky:
            phrase = rng.choice(RISK_PHRASES[rng.choice(_risk_kinds(business, category, item))])
            if rng.random() < 0.2 and not parts_before:
                text = phrase + "，" + base
            else:
                text = text + ("" if text.endswith("？") else "，") + phrase
        if not text.endswith(("？", "！", "。")):
            text += rng.choice(("", "", "。", "！")) if risky else rng.choice(("", "。", "。"))
        if full_width:
            text = text.translate(FULLWIDTH_DIGITS)
        if 10 <= len(text) <= 80:
            return text
    raise AssertionError(f"no text of 10-80 characters for {business}/{category}")


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def generate(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[dict[str, str]]:
    """``count`` synthetic tickets, ordered by receipt time; every value is the CSV text."""
    rng = random.Random(seed)
    tickets = [_ticket(rng) for _ in range(count)]
    tickets.sort(key=lambda t: t["_sort"])  # stable: ties keep generation order
    rows = []
    for number, t in enumerate(tickets, start=1):
        del t["_sort"]
        row = {"ticket_id": f"T{number:06d}", **t}
        rows.append({column: row[column] for column in COLUMNS})
    return rows


def write_csv(rows: Sequence[dict[str, str]], path: str | Path) -> None:
    """Write ``rows`` as UTF-8 CSV with a header row and ``\\n`` line endings."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="number of tickets (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output CSV (default %(default)s)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    rows = generate(args.count, args.seed)
    write_csv(rows, args.out)
    print(f"wrote {len(rows)} tickets to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
